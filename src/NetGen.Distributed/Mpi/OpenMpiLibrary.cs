using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NetGen.Distributed.Mpi;

/// <summary>
/// The few functions of Open MPI's C API the trainer needs, bound directly to <c>libmpi.so</c>.
/// Open MPI's handles are pointers to predefined global objects (<c>MPI_COMM_WORLD</c> is
/// <c>&amp;ompi_mpi_comm_world</c>), so they are looked up as exported symbols rather than hard-coded.
/// </summary>
internal static unsafe class OpenMpiLibrary
{
    /// <summary>The library name in the <c>DllImport</c>s; the resolver below maps it to the installed file.</summary>
    private const string Library = "netgen-mpi";

    /// <summary>Names tried in order when <c>NETGEN_MPI_LIBRARY</c> is not set: Debian's runtime soname first, then the dev symlink.</summary>
    private static readonly string[] s_candidates = { "libmpi.so.40", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib" };

    private static IntPtr s_handle;

    static OpenMpiLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(OpenMpiLibrary).Assembly, Resolve);
    }

    /// <summary>The loaded library; loads it on first use.</summary>
    /// <exception cref="DllNotFoundException">No Open MPI library was found; the message says what to install.</exception>
    public static IntPtr Handle
    {
        get
        {
            if (s_handle != IntPtr.Zero) return s_handle;
            string? chosen = Environment.GetEnvironmentVariable("NETGEN_MPI_LIBRARY");
            foreach (string name in chosen is { Length: > 0 } ? new[] { chosen } : s_candidates)
                if (NativeLibrary.TryLoad(name, out s_handle)) return s_handle;
            throw new DllNotFoundException(
                "Open MPI's libmpi was not found (tried " + (chosen ?? string.Join(", ", s_candidates)) + "). " +
                "Install it with `apt-get install -y openmpi-bin libopenmpi-dev`, or set NETGEN_MPI_LIBRARY to the full path of libmpi.so.");
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? Handle : IntPtr.Zero;

    /// <summary>The address of a predefined Open MPI object (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_byte</c>): its handle.</summary>
    /// <exception cref="EntryPointNotFoundException">The library is not Open MPI (MPICH and MS-MPI use integer handles).</exception>
    public static IntPtr Predefined(string symbol)
    {
        if (NativeLibrary.TryGetExport(Handle, symbol, out IntPtr address)) return address;
        throw new EntryPointNotFoundException($"The MPI library has no '{symbol}': NetGen.Distributed needs Open MPI (its handles are pointers to such objects).");
    }

    [DllImport(Library)] public static extern int MPI_Init(IntPtr argc, IntPtr argv);
    [DllImport(Library)] public static extern int MPI_Initialized(out int flag);
    [DllImport(Library)] public static extern int MPI_Finalized(out int flag);
    [DllImport(Library)] public static extern int MPI_Finalize();
    [DllImport(Library)] public static extern int MPI_Comm_rank(IntPtr comm, out int rank);
    [DllImport(Library)] public static extern int MPI_Comm_size(IntPtr comm, out int size);
    [DllImport(Library)] public static extern int MPI_Allgather(void* sendBuffer, int sendCount, IntPtr sendType, void* receiveBuffer, int receiveCount, IntPtr receiveType, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Bcast(void* buffer, int count, IntPtr type, int root, IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Barrier(IntPtr comm);
    [DllImport(Library)] public static extern int MPI_Abort(IntPtr comm, int errorCode);
    [DllImport(Library)] public static extern int MPI_Error_string(int errorCode, byte* text, out int length);
    [DllImport(Library)] public static extern int MPI_Get_library_version(byte* text, out int length);
}
