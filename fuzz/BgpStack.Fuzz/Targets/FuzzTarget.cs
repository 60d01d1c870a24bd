namespace BgpStack.Fuzz.Targets;

/// <summary>
/// One decoder entry point under fuzzing. <see cref="Execute"/> runs an input through the decoder
/// (and, when it decodes, through encode and decode again) and returns a short description of the
/// outcome, used as the fuzzer's feedback signal in place of coverage. Any exception that escapes
/// is a finding; a broken invariant is reported as <see cref="FuzzInvariantException"/>.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder name.</summary>
    public abstract string Name { get; }

    /// <summary>Runs one input; returns the outcome signature.</summary>
    /// <param name="input">The input octets.</param>
    public abstract string Execute(ReadOnlySpan<byte> input);
}

/// <summary>A decoder broke an invariant the fuzzer checks (for instance, a round trip changed the value).</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzInvariantException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What broke.</param>
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What broke.</param>
    /// <param name="innerException">The cause.</param>
    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The invariant.</param>
    /// <param name="message">What broke, built only on failure.</param>
    public static void Check(bool condition, Func<string> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!condition)
        {
            throw new FuzzInvariantException(message());
        }
    }
}
