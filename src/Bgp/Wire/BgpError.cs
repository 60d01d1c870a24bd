namespace BgpStack.Bgp.Wire;

/// <summary>
/// A decoding error as a value: the NOTIFICATION a speaker sends for it (code, subcode, data) and a
/// human-readable reason. Decoders return these instead of throwing on peer input.
/// </summary>
/// <param name="Code">The NOTIFICATION error code.</param>
/// <param name="Subcode">The NOTIFICATION error subcode.</param>
/// <param name="Data">The NOTIFICATION data field.</param>
/// <param name="Reason">What was wrong, for logs and CLIs.</param>
public sealed record BgpError(NotificationCode Code, byte Subcode, EquatableArray<byte> Data, string Reason)
{
    /// <summary>A Message Header Error.</summary>
    /// <param name="subcode">The subcode.</param>
    /// <param name="data">The data field.</param>
    /// <param name="reason">What was wrong.</param>
    public static BgpError Header(MessageHeaderErrorSubcode subcode, ReadOnlySpan<byte> data, string reason) =>
        new(NotificationCode.MessageHeaderError, (byte)subcode, EquatableArray.Create(data), reason);

    /// <summary>An OPEN Message Error.</summary>
    /// <param name="subcode">The subcode.</param>
    /// <param name="data">The data field.</param>
    /// <param name="reason">What was wrong.</param>
    public static BgpError Open(OpenMessageErrorSubcode subcode, ReadOnlySpan<byte> data, string reason) =>
        new(NotificationCode.OpenMessageError, (byte)subcode, EquatableArray.Create(data), reason);

    /// <summary>An UPDATE Message Error.</summary>
    /// <param name="subcode">The subcode.</param>
    /// <param name="data">The data field.</param>
    /// <param name="reason">What was wrong.</param>
    public static BgpError Update(UpdateMessageErrorSubcode subcode, ReadOnlySpan<byte> data, string reason) =>
        new(NotificationCode.UpdateMessageError, (byte)subcode, EquatableArray.Create(data), reason);

    /// <summary>The NOTIFICATION message that reports this error to the peer.</summary>
    public NotificationMessage ToNotification() => new(Code, Subcode, Data);

    /// <summary>Text such as <c>UPDATE Message Error / Malformed AS_PATH: segment overruns attribute</c>.</summary>
    public override string ToString() =>
        $"{NotificationNames.CodeName(Code)} / {NotificationNames.SubcodeName(Code, Subcode)}: {Reason}";
}

/// <summary>What RFC 7606 says to do about a malformed UPDATE attribute, from mildest to most severe.</summary>
public enum AttributeErrorAction
{
    /// <summary>Drop the attribute and process the rest of the UPDATE (RFC 7606 §2).</summary>
    AttributeDiscard = 1,

    /// <summary>Process the UPDATE's NLRI as withdrawn (RFC 7606 §2).</summary>
    TreatAsWithdraw = 2,

    /// <summary>Disable the address family of the session (RFC 7606 §2, RFC 4760 §7).</summary>
    AfiSafiDisable = 3,

    /// <summary>Send the NOTIFICATION and reset the session (RFC 4271 behaviour).</summary>
    SessionReset = 4,
}

/// <summary>One malformed attribute found in an UPDATE and the RFC 7606 verdict on it.</summary>
/// <param name="Action">What to do about it.</param>
/// <param name="AttributeType">The attribute's type code (0 when the error is not tied to one attribute).</param>
/// <param name="Error">The NOTIFICATION that RFC 4271 names for the error, and the reason.</param>
public sealed record AttributeError(AttributeErrorAction Action, byte AttributeType, BgpError Error)
{
    /// <summary>Text such as <c>treat-as-withdraw (attribute 1): UPDATE Message Error / Invalid ORIGIN Attribute: ...</c>.</summary>
    public override string ToString() => $"{ActionName(Action)} (attribute {AttributeType}): {Error}";

    /// <summary>The action as a short word: <c>attribute-discard</c>, <c>treat-as-withdraw</c>, <c>afi-safi-disable</c>, <c>session-reset</c>.</summary>
    /// <param name="action">The action.</param>
    public static string ActionName(AttributeErrorAction action) => action switch
    {
        AttributeErrorAction.AttributeDiscard => "attribute-discard",
        AttributeErrorAction.TreatAsWithdraw => "treat-as-withdraw",
        AttributeErrorAction.AfiSafiDisable => "afi-safi-disable",
        AttributeErrorAction.SessionReset => "session-reset",
        _ => action.ToString(),
    };
}

/// <summary>The outcome of a decode: a value, or the error that prevented it.</summary>
/// <typeparam name="T">The decoded type.</typeparam>
public readonly struct DecodeResult<T>
{
    private DecodeResult(T? value, BgpError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The decoded value, when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error, when not <see cref="IsSuccess"/>.</summary>
    public BgpError? Error { get; }

    /// <summary>True when a value was decoded.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    public static DecodeResult<T> Success(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    /// <param name="error">The error.</param>
    public static DecodeResult<T> Failure(BgpError error) => new(default, error);

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator DecodeResult<T>(T value) => Success(value);

    /// <summary>A failed result.</summary>
    /// <param name="error">The error.</param>
    public static implicit operator DecodeResult<T>(BgpError error) => Failure(error);

    /// <summary>Gets the value or reports the error.</summary>
    /// <param name="value">The value.</param>
    /// <param name="error">The error.</param>
    /// <returns>True on success.</returns>
    public bool TryGetValue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out BgpError? error)
    {
        value = Value;
        error = Error;
        return Error is null;
    }

    /// <summary>Casts a successful value to a base type.</summary>
    /// <typeparam name="TBase">The base type.</typeparam>
    public DecodeResult<TBase> As<TBase>() => Error is null ? DecodeResult<TBase>.Success((TBase)(object)Value!) : DecodeResult<TBase>.Failure(Error);
}
