using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

public static partial class AdmissionErrors
{
    // Layout references and the pods' pull secrets (SC7030-SC7039).

    /// <summary>SC7030: a workload image names an OCI image layout on disk (<c>oci:PATH</c>): no kubelet pulls from a path, and the webhook reads no local path a pod names.</summary>
    public static readonly ErrorCode LayoutReferenceRefused = new("SC7030", ErrorCategory.VerificationFailed, "a workload image names a local OCI layout");

    /// <summary>SC7031: the Kubernetes API could not be read for the pod's pull secrets or service account (unreachable, forbidden, an error status or a malformed answer): denied, never evaluated without them.</summary>
    public static readonly ErrorCode PullSecretsUnavailable = new("SC7031", ErrorCategory.ServiceFailure, "the pod's pull secrets could not be read from the Kubernetes API");

    /// <summary>SC7032: the pull-secret reading is misconfigured (no in-cluster service account, an unreadable token or CA file, an invalid API URL).</summary>
    public static readonly ErrorCode PullSecretsMisconfigured = new("SC7032", ErrorCategory.TrustRootOrConfiguration, "the pull-secret reading is misconfigured");
}
