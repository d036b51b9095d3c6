namespace NetGen.Metrics;

/// <summary>How per-class precision, recall and F1 combine into one number (scikit-learn's <c>average=</c>).</summary>
public enum Averaging
{
    /// <summary>The positive class (label 1) of a two-class problem only.</summary>
    Binary,
    /// <summary>The unweighted mean over the classes that occur in the actual or the predicted labels.</summary>
    Macro,
    /// <summary>From the total true positives, false positives and false negatives; for single-label problems all three metrics equal accuracy.</summary>
    Micro,
    /// <summary>The mean over classes weighted by each class's support (its number of actual samples).</summary>
    Weighted,
}
