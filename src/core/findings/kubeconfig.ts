import { family } from "./types.ts";

/** client-go's validation rules (tools/clientcmd/validation.go) and kubeconfig hygiene. */
export const KUBECONFIG = family("kubeconfig", {
  "kubeconfig.no-contexts": {
    severity: "error",
    title: "The kubeconfig defines no context",
    advice:
      "kubectl reports `invalid configuration: no configuration has been provided`. Add one with `kubectl config set-context NAME --cluster=... --user=...`.",
    cite: "client-go tools/clientcmd/validation.go Validate (ErrEmptyConfig)",
  },
  "kubeconfig.current-context-missing": {
    severity: "error",
    title: "current-context names a context that does not exist",
    advice: "kubectl reports `context was not found for specified context`. Fix it with `kubectl config use-context NAME`.",
    cite: "client-go tools/clientcmd/validation.go Validate (errContextNotFound)",
  },
  "kubeconfig.no-current-context": {
    severity: "info",
    title: "No current-context is set",
    advice: "kubectl will need `--context` on every call; set a default with `kubectl config use-context NAME`.",
    cite: "client-go tools/clientcmd/validation.go ConfirmUsable (ErrNoContext)",
  },
  "kubeconfig.context-missing-cluster": {
    severity: "error",
    title: "A context names a cluster that is not defined",
    advice:
      "kubectl then has no server and falls back to http://localhost:8080: expect `The connection to the server localhost:8080 was refused`. Add the cluster or point the context at an existing one.",
    cite: "kubectl v1.32, run on such a file",
  },
  "kubeconfig.context-missing-user": {
    severity: "error",
    title: "A context names a user that is not defined",
    advice:
      "Over https kubectl asks `Please enter Username:` and a password and sends them as basic auth, which kube-apiserver has not accepted since 1.19; without a terminal it stops with `error: EOF`; over http the request goes out anonymously. Add the user or point the context at an existing one.",
    cite: "kubectl v1.32, run on such a file; client-go clientcmd DirectClientConfig.getUserIdentificationPartialConfig",
  },
  "kubeconfig.duplicate-name": {
    severity: "error",
    title: "Two entries share one name: kubectl will refuse to load this file",
    advice:
      "client-go turns each list into a map and stops at a repeated name, so every kubectl command fails, whichever context it uses (`kubectl config` commands too). Rename or remove one of the entries by hand.",
    cite: "client-go tools/clientcmd/api/v1/conversion.go; kubectl v1.32, run on such files",
  },
  "kubeconfig.wrong-type": {
    severity: "error",
    title: "A value has the wrong type: kubectl will refuse to load this file",
    advice:
      'kubectl reads YAML with YAML 1.1 rules, so an unquoted `yes`, `no`, `on`, `off`, `y` or `n` is a boolean and `0777` or `12` a number; where client-go expects a string (or a boolean) it stops, for every command and context. Quote the value (`token: "yes"`), or write `true`/`false` unquoted for flags such as insecure-skip-tls-verify.',
    cite: "client-go tools/clientcmd/api/v1/types.go; sigs.k8s.io/yaml on gopkg.in/yaml.v2 (resolve.go); kubectl v1.32, run on such files",
  },
  "kubeconfig.no-server": {
    severity: "error",
    title: "A cluster has no server URL",
    advice: "kubectl reports `no server found for cluster`. Set it with `kubectl config set-cluster NAME --server=https://HOST:6443`.",
    cite: "client-go tools/clientcmd/validation.go validateClusterInfo",
  },
  "kubeconfig.bad-server-url": {
    severity: "error",
    title: "The server URL cannot be parsed",
    advice: "kubectl cannot connect. Use a full URL such as https://api.example.com:6443.",
    cite: "client-go rest/url_utils.go DefaultServerURL (net/url Parse)",
  },
  "kubeconfig.server-without-scheme": {
    severity: "error",
    title: "The server URL has no scheme, so kubectl uses plain http://",
    advice:
      "client-go adds `http://` to a server without a scheme (rest.DefaultServerURL), and decides before it reads the TLS settings, so the cluster CA, the client certificate and the token are all left out, whatever the kubeconfig sets. Write the scheme: `server: https://HOST:6443`.",
    cite: "client-go rest/url_utils.go DefaultServerURL; tools/clientcmd/client_config.go ClientConfig (IsConfigTransportTLS); kubectl 1.27-1.33 at -v=6",
  },
  "kubeconfig.http-server": {
    severity: "error",
    title: "The API server is reached over plain http://",
    advice: "Credentials and traffic cross the network unencrypted and the server is not authenticated. Use https:// and the cluster CA.",
    cite: "client-go rest/url_utils.go DefaultServerURL (the URL's scheme decides TLS)",
  },
  "kubeconfig.server-userinfo": {
    severity: "warning",
    title: "The server URL holds a user name (and password)",
    advice:
      "kubectl sends them as HTTP basic auth on every request, and then does not send the user's bearer token; kube-apiserver has no basic auth (removed in 1.19), so unless a client certificate authenticates the request it is answered 401 Unauthorized. The URL also leaks them to anyone who sees the file. certaudit leaves them out of the report and of any upload. Remove them from the server URL and give credentials in users[].user.",
    cite: "Go net/http/client.go send (URL.User becomes Authorization: Basic); client-go rest/request.go Request.URL (keeps the server URL's userinfo), transport/round_trippers.go bearerAuthRoundTripper.RoundTrip (leaves an existing Authorization header); checked with kubectl 1.32 against a local server",
  },
  "kubeconfig.insecure-skip-tls-verify": {
    severity: "error",
    title: "TLS verification of the API server is switched off",
    advice:
      "kubectl will talk to any server that answers, so credentials can be stolen by anyone in the path. Remove insecure-skip-tls-verify and set certificate-authority-data to the cluster CA.",
    cite: "client-go rest.TLSClientConfig.Insecure, passed to Go crypto/tls Config.InsecureSkipVerify",
  },
  "kubeconfig.insecure-with-ca": {
    severity: "error",
    title: "insecure-skip-tls-verify is set together with a CA",
    advice:
      "client-go rejects this combination (`specifying a root certificates file with the insecure flag is not allowed`). Remove insecure-skip-tls-verify.",
    cite: "client-go transport/transport.go TLSConfigFor",
  },
  "kubeconfig.no-cluster-ca": {
    severity: "warning",
    title: "The cluster has no CA in the kubeconfig",
    advice:
      "kubectl will trust the API server only through the operating system's trust store, which a private cluster CA is not in: expect `x509: certificate signed by unknown authority`. Embed the cluster CA with `kubectl config set-cluster NAME --certificate-authority=ca.crt --embed-certs`.",
    cite: "Go crypto/tls: a nil Config.RootCAs means the host's root set (crypto/x509 SystemCertPool)",
  },
  "kubeconfig.ca-data-and-file": {
    severity: "error",
    title: "certificate-authority-data and certificate-authority are both set",
    advice: "client-go reports `certificate-authority-data and certificate-authority are both specified`; the data wins. Remove one.",
    cite: "client-go tools/clientcmd/validation.go validateClusterInfo",
  },
  "kubeconfig.cert-data-and-file": {
    severity: "error",
    title: "client-certificate-data and client-certificate are both set",
    advice: "client-go reports `client-cert-data and client-cert are both specified`; the data wins. Remove one.",
    cite: "client-go tools/clientcmd/validation.go validateAuthInfo",
  },
  "kubeconfig.key-data-and-file": {
    severity: "error",
    title: "client-key-data and client-key are both set",
    advice: "client-go reports `client-key-data and client-key are both specified`; the data wins. Remove one.",
    cite: "client-go tools/clientcmd/validation.go validateAuthInfo",
  },
  "kubeconfig.cert-without-key": {
    severity: "error",
    title: "A client certificate is configured without a key",
    advice:
      "client-go reports `client-key-data or client-key must be specified ... to use the clientCert authentication method`. Add the key with `kubectl config set-credentials NAME --client-key=... --embed-certs`.",
    cite: "client-go tools/clientcmd/validation.go validateAuthInfo",
  },
  "kubeconfig.key-without-cert": {
    severity: "error",
    title: "A client key is configured without a certificate",
    advice:
      "The key is unused: kubectl sends no client certificate and the request is anonymous (`Unauthorized` or `Forbidden` for system:anonymous). Add client-certificate-data.",
  },
  "kubeconfig.multiple-auth-methods": {
    severity: "error",
    title: "More than one authentication method is configured",
    advice:
      "client-go reports `more than one authentication method found ...; only one is allowed` (token and username/password). Keep one.",
    cite: "client-go tools/clientcmd/validation.go validateAuthInfo",
  },
  "kubeconfig.no-credentials": {
    severity: "warning",
    title: "A user has no credentials",
    advice:
      "Requests will be anonymous: expect `Unauthorized`, or `Forbidden` for `system:anonymous`. Add a client certificate, a token or an exec plugin.",
    cite: "k8s.io/apiserver pkg/authentication/request/anonymous (system:anonymous)",
  },
  "kubeconfig.static-token": {
    severity: "warning",
    title: "A static bearer token is stored in the kubeconfig",
    advice:
      "Anyone who reads the file can act as this user until the token is revoked. Prefer short-lived credentials (an exec plugin, or `kubectl create token` with a duration). The token's value is never shown in this report.",
  },
  "kubeconfig.basic-auth": {
    severity: "error",
    title: "A username and password are stored in the kubeconfig",
    advice:
      "Basic authentication was removed from kube-apiserver in Kubernetes 1.19, so these credentials do not work on current clusters, and they sit in plain text. Remove them and use a certificate or token.",
    cite: "Kubernetes 1.19 release notes: basic authentication (--basic-auth-file) removed from kube-apiserver",
  },
  "kubeconfig.file-reference": {
    severity: "info",
    title: "A certificate, key or token is referenced by file path",
    advice:
      "The file lives on the machine where kubectl runs and its content was not part of this input, so it could not be audited. Use `kubectl config view --raw --flatten` to embed the data, or run the certaudit CLI on that machine: it reads the files as kubectl does.",
    cite: "client-go tools/clientcmd/loader.go ResolveLocalPaths (paths relative to the kubeconfig file)",
  },
  "kubeconfig.file-unreadable": {
    severity: "error",
    title: "A file the kubeconfig names cannot be read",
    advice:
      "A missing or unreadable file makes kubectl fail for every context that uses this cluster or user (`unable to read client-cert`, `client-key` or `certificate-authority` ..., `open ...: no such file or directory`). Fix the path (a relative path is resolved against the kubeconfig file's own directory) or the file's permissions, or embed the data with `kubectl config view --raw --flatten`.",
    cite: "client-go tools/clientcmd/loader.go ResolveLocalPaths; client_config.go ClientConfig and rest/transport.go dataFromSliceOrFile (os.ReadFile errors are returned)",
  },
  "kubeconfig.context-not-audited": {
    severity: "warning",
    title: "No certificate of this context could be examined",
    advice:
      "The context has neither readable certificate-authority-data nor readable client-certificate-data (file references, placeholders or nothing), so its report cannot pass. Embed the data (`kubectl config view --raw --flatten`) or audit the files with the CLI on the machine that has them.",
  },
  "kubeconfig.exec-plugin": {
    severity: "info",
    title: "Credentials come from an exec plugin",
    advice:
      "kubectl runs this command to get credentials; it was not run here. Audit the plugin's certificate or token separately if it returns one.",
    cite: "client-go plugin/pkg/client/auth/exec (ExecCredential, client.authentication.k8s.io)",
  },
  "kubeconfig.exec-invalid": {
    severity: "error",
    title: "The exec plugin configuration is refused by kubectl",
    advice:
      "client-go validates the exec block before it uses the user (tools/clientcmd/validation.go): command, apiVersion and interactiveMode must be set (v1beta1 defaults interactiveMode to IfAvailable), and the exec authenticator accepts only client.authentication.k8s.io/v1 and v1beta1 (v1alpha1 was removed in Kubernetes 1.24). Complete the `exec` block, or update the plugin and its apiVersion.",
    cite: "client-go tools/clientcmd/validation.go validateAuthInfo; plugin/pkg/client/auth/exec/exec.go; kubectl v1.32",
  },
  "kubeconfig.auth-provider": {
    severity: "warning",
    title: "A legacy auth-provider plugin is configured",
    advice:
      "In-tree auth providers (gcp, azure, oidc) were removed from kubectl in 1.26; kubectl now reports `no Auth Provider found for name`. Switch to the provider's exec plugin (for example gke-gcloud-auth-plugin or kubelogin).",
    cite: "client-go rest/plugin.go GetAuthProvider (`no Auth Provider found for name`); the gcp and azure providers were removed in Kubernetes 1.26",
  },
  "kubeconfig.impersonation": {
    severity: "info",
    title: "Requests impersonate another identity",
    advice:
      "kubectl adds Impersonate-User / Impersonate-Group headers; the API server authorizes the impersonated identity only if this user may impersonate.",
    cite: "client-go transport/round_trippers.go NewImpersonatingRoundTripper (Impersonate-User, Impersonate-Group headers)",
  },
  "kubeconfig.impersonation-without-user": {
    severity: "error",
    title: "Impersonated groups, uid or extras are set without a user",
    advice: "client-go reports `requesting uid, groups or user-extra ... without impersonating a user`. Set `as` too, or remove them.",
    cite: "client-go tools/clientcmd/validation.go validateAuthInfo",
  },
  "kubeconfig.proxy-url": {
    severity: "info",
    title: "Traffic goes through a proxy",
    advice: "kubectl connects through proxy-url; the TLS session still ends at the API server, so the checks here still apply.",
    cite: "client-go tools/clientcmd client_config.go (cluster proxy-url becomes rest.Config.Proxy)",
  },
  "kubeconfig.tls-server-name": {
    severity: "info",
    title: "tls-server-name overrides the name checked on the server certificate",
    advice: "kubectl verifies the API server certificate against this name instead of the host in the server URL.",
    cite: "client-go rest.TLSClientConfig.ServerName, passed to Go crypto/tls Config.ServerName",
  },
  "kubeconfig.client-ca-rotated": {
    severity: "error",
    title: "The client certificate was signed by a different CA with the same name as the cluster CA",
    advice:
      "The CA was rotated (same subject, new key). If the API server trusts only one of them, the handshake fails: kubectl shows `x509: certificate signed by unknown authority` or `You must be logged in to the server (Unauthorized)`. Re-issue the client certificate from the current CA, or put both CAs in --client-ca-file and certificate-authority-data during the rotation.",
    cite: "k8s.io/apiserver pkg/authentication/request/x509/x509.go Authenticator.AuthenticateRequest (Verify against --client-ca-file)",
  },
  "kubeconfig.client-ca-different": {
    severity: "info",
    title: "The client certificate's issuer is not the cluster CA",
    advice:
      "That is fine when the API server's --client-ca-file holds that issuer. Supply clientCA (the contents of --client-ca-file) to settle whether the client certificate is accepted.",
    cite: "k8s.io/apiserver pkg/authentication/request/x509/x509.go Authenticator.AuthenticateRequest (Verify against --client-ca-file)",
  },
  "kubeconfig.client-verdict-undecided": {
    severity: "info",
    title: "Whether the API server accepts the client certificate cannot be decided from the kubeconfig alone",
    advice:
      "Supply the API server's --client-ca-file to settle it (API field `clientCA`, CLI `--client-ca`, Action input `client-ca`, form “Client CA bundle”). The report lists it under contexts[].openQuestions.",
  },
  "kubeconfig.server-verdict-undecided": {
    severity: "info",
    title: "Whether kubectl trusts the API server cannot be decided without its certificate",
    advice:
      "Supply the chain the API server presents (its --tls-cert-file, or `openssl s_client -showcerts` output) to settle it (API field `serverCertificate`, CLI `--live` or `--server-cert`, Action input `server-certificate`, form “API server certificate”). The report lists it under contexts[].openQuestions.",
  },
  "kubeconfig.server-name-unknown": {
    severity: "warning",
    title: "The name kubectl checks the server certificate against cannot be derived",
    advice:
      "serverTrusted is left open (null) rather than judged without a host name check. Use a server URL such as https://api.example.com:6443, or set tls-server-name to the name in the API server certificate.",
    cite: "k8s.io/client-go/rest/url_utils.go DefaultServerURL; Go net/http transport.go canonicalAddr and (*connectMethod).tlsHost; crypto/x509 verify.go VerifyHostname",
  },
  "kubeconfig.client-rejected": {
    severity: "error",
    title: "The API server would reject this client certificate",
    advice:
      "kubectl shows `error: You must be logged in to the server (Unauthorized)` (kube-apiserver logs the verification error). See the chain finding for the reason and re-issue the certificate from a CA in --client-ca-file.",
    cite: "k8s.io/apiserver pkg/authentication/request/x509/x509.go Authenticator.AuthenticateRequest (Verify with ExtKeyUsageClientAuth)",
  },
  "kubeconfig.server-untrusted": {
    severity: "error",
    title: "kubectl would not trust the API server with this kubeconfig",
    advice:
      "kubectl shows `Unable to connect to the server: tls: failed to verify certificate: x509: ...`. See the chain finding for the reason; usually certificate-authority-data holds the wrong CA, or the server certificate's SANs miss the server address.",
    cite: "Go crypto/tls handshake_client.go verifyServerCertificate (x509 Verify with the kubeconfig's CA and the server name)",
  },
});
