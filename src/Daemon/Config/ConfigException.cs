using System.Collections.Immutable;
using System.Globalization;

namespace BgpStack.Daemon.Config;

/// <summary>One problem found in a configuration file, with where it is.</summary>
/// <param name="Source">The file name (or another name the text was given).</param>
/// <param name="Line">The 1-based line, or 0 when the problem is with the file as a whole.</param>
/// <param name="Column">The 1-based column, or 0 with <paramref name="Line"/> 0.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
internal sealed record ConfigError(string Source, int Line, int Column, string Message)
{
    /// <summary><c>file:line:col: message</c>, or <c>file: message</c> without a position.</summary>
    public override string ToString() => Line > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Source}:{Line}:{Column}: {Message}")
        : $"{Source}: {Message}";
}

/// <summary>
/// The configuration could not be read or is invalid. <see cref="Exception.Message"/> lists every
/// problem found, one per line, each as <c>file:line:col: what is wrong</c>.
/// </summary>
internal sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for one or more problems.</summary>
    /// <param name="errors">The problems, in file order; at least one.</param>
    /// <param name="inner">The exception that caused the first problem, if any.</param>
    public ConfigException(IEnumerable<ConfigError> errors, Exception? inner = null)
        : this([.. errors], inner)
    {
    }

    /// <summary>Creates the exception with a plain message (no position).</summary>
    public ConfigException()
        : this([new ConfigError("config", 0, 0, "invalid configuration")], null)
    {
    }

    /// <summary>Creates the exception with a plain message (no position).</summary>
    /// <param name="message">What is wrong.</param>
    public ConfigException(string message)
        : this([new ConfigError("config", 0, 0, message)], null)
    {
    }

    /// <summary>Creates the exception with a plain message (no position) and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigException(string message, Exception? innerException)
        : this([new ConfigError("config", 0, 0, message)], innerException)
    {
    }

    private ConfigException(ImmutableArray<ConfigError> errors, Exception? inner)
        : base(errors.IsEmpty ? "invalid configuration" : string.Join('\n', errors), inner)
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in file order.</summary>
    public ImmutableArray<ConfigError> Errors { get; }
}
