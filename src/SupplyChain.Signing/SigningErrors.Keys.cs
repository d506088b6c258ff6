using SupplyChain.Core.Errors;

namespace SupplyChain.Signing;

public static partial class SigningErrors
{
    // Keys and key files (SC20xx)

    /// <summary>SC2001: the private key file is not a well-formed PEM private key (truncated, garbage, bad base64 or DER).</summary>
    public static readonly ErrorCode PrivateKeyMalformed = new("SC2001", ErrorCategory.MalformedInput, "the private key cannot be parsed");

    /// <summary>SC2002: the private key's PEM label, algorithm, curve or size is not supported.</summary>
    public static readonly ErrorCode PrivateKeyUnsupported = new("SC2002", ErrorCategory.MalformedInput, "the private key type, curve or size is not supported");

    /// <summary>SC2003: the private key is encrypted and no password was given.</summary>
    public static readonly ErrorCode PrivateKeyPasswordRequired = new("SC2003", ErrorCategory.MalformedInput, "the private key is encrypted and needs a password");

    /// <summary>SC2004: the password does not decrypt the private key (authentication of the encrypted key failed).</summary>
    public static readonly ErrorCode PrivateKeyPasswordIncorrect = new("SC2004", ErrorCategory.MalformedInput, "the password does not decrypt the private key");

    /// <summary>SC2005: the encrypted key names an unknown KDF or cipher, or KDF parameters beyond the limits.</summary>
    public static readonly ErrorCode EncryptedKeyParametersRejected = new("SC2005", ErrorCategory.MalformedInput, "the encrypted key's KDF or cipher parameters are unknown or beyond the limits");

    /// <summary>SC2006: the key file is larger than a key file can be.</summary>
    public static readonly ErrorCode KeyFileTooLarge = new("SC2006", ErrorCategory.MalformedInput, "the key file exceeds the size limit");

    /// <summary>SC2007: no password is available: COSIGN_PASSWORD is not set and standard input is not a terminal.</summary>
    public static readonly ErrorCode KeyPasswordUnavailable = new("SC2007", ErrorCategory.MalformedInput, "no password: set COSIGN_PASSWORD or run on a terminal");

    /// <summary>SC2008: the two passwords typed at the prompt differ.</summary>
    public static readonly ErrorCode KeyPasswordMismatch = new("SC2008", ErrorCategory.MalformedInput, "the passwords do not match");

    /// <summary>SC2009: a key file to write already exists (pass --force to overwrite), or cannot be written.</summary>
    public static readonly ErrorCode KeyFileNotWritable = new("SC2009", ErrorCategory.MalformedInput, "the key file exists or cannot be written");
}
