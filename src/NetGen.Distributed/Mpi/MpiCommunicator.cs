using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Distributed.Mpi;

/// <summary>
/// <c>MPI_COMM_WORLD</c> of an Open MPI job: the processes <c>mpirun -np N</c> started. Create one per process with
/// <see cref="Initialize"/> (it calls <c>MPI_Init</c>) and dispose it at the end (<c>MPI_Finalize</c>). Run without
/// <c>mpirun</c>, a program is a job of one rank (an MPI singleton).
/// </summary>
/// <remarks>
/// Errors keep MPI's default handler, <c>MPI_ERRORS_ARE_FATAL</c>: when a rank dies, <c>mpirun</c> ends the
/// whole job and names the rank, so the survivors never wait forever inside a collective.
/// </remarks>
public sealed unsafe class MpiCommunicator : ICollectives, IDisposable
{
    private readonly IntPtr _world;
    private readonly IntPtr _byte;
    private bool _disposed;

    private MpiCommunicator(IntPtr world, IntPtr byteType, int rank, int size)
    {
        _world = world;
        _byte = byteType;
        Rank = rank;
        Size = size;
    }

    /// <summary>Initialises MPI (once per process) and returns the world communicator.</summary>
    /// <exception cref="DllNotFoundException">Open MPI is not installed; the message names the packages.</exception>
    /// <exception cref="InvalidOperationException">MPI was already finalised in this process.</exception>
    public static MpiCommunicator Initialize()
    {
        Check(OpenMpiLibrary.MPI_Finalized(out int finalized), "MPI_Finalized");
        if (finalized != 0) throw new InvalidOperationException("MPI was already finalised in this process; it cannot be initialised again.");
        Check(OpenMpiLibrary.MPI_Initialized(out int initialized), "MPI_Initialized");
        if (initialized == 0) Check(OpenMpiLibrary.MPI_Init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
        IntPtr world = OpenMpiLibrary.Predefined("ompi_mpi_comm_world");
        Check(OpenMpiLibrary.MPI_Comm_rank(world, out int rank), "MPI_Comm_rank");
        Check(OpenMpiLibrary.MPI_Comm_size(world, out int size), "MPI_Comm_size");
        return new MpiCommunicator(world, OpenMpiLibrary.Predefined("ompi_mpi_byte"), rank, size);
    }

    /// <inheritdoc/>
    public int Rank { get; }
    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>The MPI library's own version text (<c>MPI_Get_library_version</c>).</summary>
    public static string LibraryVersion
    {
        get
        {
            byte* text = stackalloc byte[8192];
            Check(OpenMpiLibrary.MPI_Get_library_version(text, out int length), "MPI_Get_library_version");
            return Encoding.ASCII.GetString(text, length).Trim();
        }
    }

    /// <inheritdoc/>
    public void AllGather<T>(ReadOnlySpan<T> send, Span<T> receive) where T : unmanaged
    {
        ThrowIfDisposed();
        if ((long)receive.Length != (long)send.Length * Size)
            throw new ArgumentException($"AllGather over {Size} ranks needs a receive buffer of {(long)send.Length * Size} values ({Size} × {send.Length}), but it holds {receive.Length}.", nameof(receive));
        // Sent as bytes: the values are copied, never converted, so every rank receives identical bits.
        int bytes = checked(send.Length * Unsafe.SizeOf<T>());
        fixed (T* s = send)
        fixed (T* r = receive)
            Check(OpenMpiLibrary.MPI_Allgather(s, bytes, _byte, r, bytes, _byte, _world), "MPI_Allgather");
    }

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> values, int root) where T : unmanaged
    {
        ThrowIfDisposed();
        if ((uint)root >= (uint)Size) throw new ArgumentOutOfRangeException(nameof(root), root, $"The root must be a rank 0 .. {Size - 1}.");
        fixed (T* v = values)
            Check(OpenMpiLibrary.MPI_Bcast(v, checked(values.Length * Unsafe.SizeOf<T>()), _byte, root, _world), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        ThrowIfDisposed();
        Check(OpenMpiLibrary.MPI_Barrier(_world), "MPI_Barrier");
    }

    /// <summary>Ends every rank of the job with <paramref name="errorCode"/> (<c>MPI_Abort</c>): the way out when one rank cannot go on.</summary>
    public void Abort(int errorCode) => OpenMpiLibrary.MPI_Abort(_world, errorCode);

    /// <summary>Finalises MPI (<c>MPI_Finalize</c>); every rank must call it.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Check(OpenMpiLibrary.MPI_Finalize(), "MPI_Finalize");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Turns an MPI return code into an exception naming the call and MPI's own message.</summary>
    private static void Check(int code, string call)
    {
        if (code == 0) return;
        byte* text = stackalloc byte[512];
        string message = OpenMpiLibrary.MPI_Error_string(code, text, out int length) == 0 ? Encoding.ASCII.GetString(text, length) : "unknown error";
        throw new MpiException($"{call} failed with MPI error {code}: {message}", code);
    }
}

/// <summary>An MPI call returned an error code.</summary>
public sealed class MpiException : Exception
{
    /// <summary>An MPI error with its message and code.</summary>
    public MpiException(string message, int errorCode) : base(message) => ErrorCode = errorCode;
    /// <summary>The MPI error code.</summary>
    public int ErrorCode { get; }
}
