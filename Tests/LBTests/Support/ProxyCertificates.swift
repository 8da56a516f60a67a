import WharfTestSupport
import XCTest

/// Self-signed certificates for the HTTPS listener tests, made with `openssl req` in the test's
/// directory: `a.test` (RSA, so TLS 1.2 uses ECDHE-RSA) and `b.test` (ECDSA P-256).
struct ProxyCertificates {
    /// `openssl req` exited non-zero.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: TemporaryDirectory

    init(directory: TemporaryDirectory) throws {
        self.directory = directory
        try make("a", subject: "/CN=a.test", name: "a.test", key: ["-newkey", "rsa:2048"])
        try make("b", subject: "/CN=b.test", name: "b.test", key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
    }

    /// (certificate, key) paths of `name`.
    func pair(_ name: String) -> (String, String) {
        (directory.file("\(name).pem"), directory.file("\(name).key"))
    }

    func certificate(_ name: String) -> String { directory.file("\(name).pem") }

    /// Makes another certificate (e.g. a renewed one for a reload).
    func make(_ file: String, subject: String, name: String, key: [String]) throws {
        let result = try Subprocess.run(
            executable: "/usr/bin/openssl",
            arguments: ["req", "-x509"] + key + [
                "-nodes", "-keyout", directory.file("\(file).key"), "-out", directory.file("\(file).pem"), "-days", "2",
                "-subj", subject, "-addext", "subjectAltName=DNS:\(name)",
            ])
        guard result.status == 0 else {
            throw Failure(description: "openssl req for \(name) failed: \(result.outputText)")
        }
    }
}
