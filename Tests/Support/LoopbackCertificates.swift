import Foundation

/// A certificate authority made for one test and a server certificate it signed for
/// 127.0.0.1 (subjectAltName IP:127.0.0.1), made with the `openssl` command line tool: for a
/// loopback TLS server whose clients are told to trust `caFile`.
public struct LoopbackCertificates: Sendable {
    /// Days the CA and the server certificate are valid: a test needs minutes, not years.
    public static let validityDays = 2
    /// Longest one `openssl` run may take (an RSA key is generated in well under a second).
    public static let opensslTimeLimit: TimeInterval = 60
    static let openssl = "/usr/bin/openssl"

    /// The CA's certificate (PEM), the file a client trusts.
    public let caFile: String
    /// The CA's private key (PEM).
    public let caKeyFile: String
    /// The server certificate for 127.0.0.1 (PEM), signed by the CA.
    public let certificateFile: String
    /// The server certificate's private key (PEM, unencrypted).
    public let keyFile: String

    /// Makes `PREFIXca.pem`, `PREFIXca.key`, `PREFIXserver.pem` and `PREFIXserver.key` (and the
    /// request and extension files they are made from) in `directory`, which must exist.
    ///
    /// - Throws: `Subprocess.Failure` naming the openssl step that failed.
    public init(in directory: String, prefix: String = "", caName: String = "wharf test CA") throws {
        let base = directory + "/" + prefix
        caFile = base + "ca.pem"
        caKeyFile = base + "ca.key"
        certificateFile = base + "server.pem"
        keyFile = base + "server.key"
        let request = base + "server.csr"
        let extensions = base + "server-ext.cnf"
        let days = String(Self.validityDays)
        try Subprocess.runChecked(
            "make the test CA", executable: Self.openssl,
            arguments: ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", days, "-subj", "/CN=\(caName)",
                        "-keyout", caKeyFile, "-out", caFile],
            timeLimit: Self.opensslTimeLimit)
        try Subprocess.runChecked(
            "make a certificate request for 127.0.0.1", executable: Self.openssl,
            arguments: ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", keyFile, "-out", request],
            timeLimit: Self.opensslTimeLimit)
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        try Subprocess.runChecked(
            "sign the certificate for 127.0.0.1", executable: Self.openssl,
            arguments: ["x509", "-req", "-in", request, "-CA", caFile, "-CAkey", caKeyFile, "-CAcreateserial",
                        "-days", days, "-extfile", extensions, "-out", certificateFile],
            timeLimit: Self.opensslTimeLimit)
    }
}
