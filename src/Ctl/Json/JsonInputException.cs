namespace BgpStack.Ctl.Json;

/// <summary>A JSON document that does not describe a valid BGP message, with the JSON path of the problem.</summary>
public sealed class JsonInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JsonInputException()
        : this("$", "invalid JSON input")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public JsonInputException(string message)
        : this("$", message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public JsonInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "$";
        Problem = message;
    }

    /// <summary>Creates the exception for the value at <paramref name="path"/>.</summary>
    /// <param name="path">The JSON path, such as <c>$[0].attributes.origin</c>.</param>
    /// <param name="problem">What is wrong with the value.</param>
    public JsonInputException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The JSON path of the offending value.</summary>
    public string Path { get; }

    /// <summary>What is wrong with the value.</summary>
    public string Problem { get; }
}
