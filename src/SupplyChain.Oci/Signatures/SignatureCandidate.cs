using System.Collections.Concurrent;
using System.Security.Cryptography;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Verification;

namespace SupplyChain.Oci.Signatures;

/// <summary>
/// One signature attached to an image digest, fetched and parsed once, its binding to the digest (subject, predicate
/// type) already checked. <see cref="Verify"/> decides it for one policy: a keyless signature is verified by Core once
/// without identity (cached, success or failure) and then matched against each policy's identities; a key-signed one
/// once per key (cached by the key's SHA-256). Thread-safe.
/// </summary>
internal sealed class SignatureCandidate
{
    private readonly SigstoreBundle? _bundle;
    private readonly Artifact? _artifact;
    private readonly byte[]? _message;
    private readonly SupplyChainException? _rejection;
    private readonly Lazy<Outcome> _keyless;
    private readonly ConcurrentDictionary<string, Outcome> _byKey = new(StringComparer.Ordinal);
    private readonly SigstoreVerifier _verifier;

    private SignatureCandidate(AttachedArtifact where, SigstoreVerifier verifier, SigstoreBundle? bundle, Artifact? artifact, byte[]? message, string? predicateType, SupplyChainException? rejection)
    {
        Where = where;
        _verifier = verifier;
        _bundle = bundle;
        _artifact = artifact;
        _message = message;
        PredicateType = predicateType;
        _rejection = rejection;
        _keyless = new Lazy<Outcome>(VerifyWithoutIdentity, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where it is.</summary>
    public AttachedArtifact Where { get; }

    /// <summary>The signed statement's predicate type (<c>null</c> for a legacy simple-signing signature).</summary>
    public string? PredicateType { get; }

    /// <summary>A signature that could not be read or is bound to something else: rejected for every policy.</summary>
    public static SignatureCandidate Rejected(AttachedArtifact where, SigstoreVerifier verifier, SupplyChainException reason) =>
        new(where, verifier, null, null, null, null, reason);

    /// <summary>A DSSE in-toto signature (bundle, or legacy <c>.att</c>) over the image digest.</summary>
    public static SignatureCandidate Envelope(AttachedArtifact where, SigstoreVerifier verifier, SigstoreBundle bundle, string digest, string predicateType) =>
        new(where, verifier, bundle, Artifact.FromDigest(HashAlgorithmName.SHA256, Digests.Bytes(digest)), null, predicateType, null);

    /// <summary>A legacy simple-signing signature: a message signature over <paramref name="payload"/>.</summary>
    public static SignatureCandidate SimpleSigning(AttachedArtifact where, SigstoreVerifier verifier, SigstoreBundle bundle, byte[] payload) =>
        new(where, verifier, bundle, Artifact.FromBytes(payload), payload, null, null);

    /// <summary>Decides the signature for <paramref name="policy"/>: the verified signer, or the rejection with its code.</summary>
    public Outcome Verify(VerificationPolicy policy, bool insecureIgnoreTransparencyLog)
    {
        if (_rejection is not null)
        {
            return Outcome.Reject(_rejection);
        }

        VerificationMaterial material = _bundle!.VerificationMaterial;
        if (!material.HasCertificate && material.TlogEntries.Count == 0)
        {
            return Guard(() => VerifyKeyOnly(policy, insecureIgnoreTransparencyLog));
        }

        if (material.HasCertificate)
        {
            if (policy.PublicKey is not null)
            {
                return Outcome.Reject(CoreErrors.KeyMaterialMismatch.ToException("the signature is signed with a certificate; the authority is a key"));
            }

            Outcome verified = _keyless.Value;
            if (verified.Signer is not { } signer || policy.SkipsIdentityCheck)
            {
                return verified;
            }

            try
            {
                policy.EnforceIdentity(signer);
                return verified with { IdentityChecked = true };
            }
            catch (VerificationFailedException mismatch)
            {
                return Outcome.Reject(mismatch);
            }
        }

        if (policy.PublicKey is not { } key)
        {
            return Outcome.Reject(CoreErrors.KeyMaterialMismatch.ToException("the signature is signed with a key; the authority is a certificate identity"));
        }

        string keyId = Convert.ToHexStringLower(SHA256.HashData(key.SubjectPublicKeyInfo.Span));
        return _byKey.GetOrAdd(keyId, _ => Guard(() =>
        {
            VerificationResult result = _verifier.Verify(_bundle, _artifact!, VerificationPolicy.ForPublicKey(key));
            return new Outcome(result.Signer, PredicateType ?? result.Statement?.PredicateType, result, true, null);
        }));
    }

    private Outcome VerifyWithoutIdentity() => Guard(() =>
    {
        VerificationResult result = _verifier.Verify(_bundle!, _artifact!, VerificationPolicy.WithoutIdentityUnsafe());
        return new Outcome(result.Signer, PredicateType ?? result.Statement?.PredicateType, result, false, null);
    });

    /// <summary>A key-signed signature without a log entry verifies only with a key and the explicit opt-out (fail closed).</summary>
    private Outcome VerifyKeyOnly(VerificationPolicy policy, bool insecureIgnoreTransparencyLog)
    {
        if (policy.PublicKey is not { } key)
        {
            throw OciErrors.TransparencyLogRequired.ToException("a signature without certificate or log entry verifies only with a key");
        }

        if (!insecureIgnoreTransparencyLog)
        {
            throw OciErrors.TransparencyLogRequired.ToException("the signature has no transparency-log entry (cosign's --insecure-ignore-tlog accepts it with the key alone)");
        }

        bool valid = _bundle!.DsseEnvelope is { } envelope
            ? envelope.Signatures.Count == 1 && key.VerifyData(Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload.Span), envelope.Signatures[0].Signature.Span)
            : key.VerifyData(_message!, _bundle.MessageSignature!.Signature.Span);
        return valid
            ? new Outcome(new SignerInfo(null, null, new Dictionary<string, string>(), Convert.ToHexStringLower(SHA256.HashData(key.SubjectPublicKeyInfo.Span))), PredicateType, null, true, null)
            : throw OciErrors.SignatureInvalid.ToException(_bundle.DsseEnvelope is null ? null : "the DSSE signature");
    }

    /// <summary>Runs one check; a failure of this signature (any code, or an unexpected exception: SC4420) rejects it alone.</summary>
    private static Outcome Guard(Func<Outcome> check)
    {
        try
        {
            return check();
        }
        catch (SupplyChainException ex) when (ex is VerificationFailedException or MalformedInputException)
        {
            return Outcome.Reject(ex);
        }
        catch (Exception ex) when (ImageSignatureCollector.IsUnexpected(ex))
        {
            return Outcome.Reject(OciErrors.SignatureUnprocessable.ToException(ex.GetType().Name, ex));
        }
    }

    /// <summary>The decision for one policy: a signer, or the rejection.</summary>
    /// <param name="Signer">The verified signer, or <c>null</c> when rejected.</param>
    /// <param name="PredicateType">The verified statement's predicate type.</param>
    /// <param name="Core">Core's result; <c>null</c> when the key alone was checked.</param>
    /// <param name="IdentityChecked">Whether the signer was held to an identity or key (never false for a policy with one).</param>
    /// <param name="Rejection">Why it was rejected.</param>
    internal readonly record struct Outcome(SignerInfo? Signer, string? PredicateType, VerificationResult? Core, bool IdentityChecked, SupplyChainException? Rejection)
    {
        public static Outcome Reject(SupplyChainException reason) => new(null, null, null, false, reason);
    }
}
