import Foundation
import WharfTestSupport

/// A bearer-token service for `docker-registry`'s token authentication (the scheme Docker
/// Hub and ECR-style registries use), run as a small python3 program on 127.0.0.1: it
/// checks basic credentials and issues RS256 JWTs (signed with openssl, the certificate in
/// the `x5c` header) granting the requested repository actions. Anonymous requests get a
/// token that grants nothing. With `tls`, it serves HTTPS with a certificate for 127.0.0.1
/// signed by its own CA (`caFile`).
final class TokenServer {
    static let service = "wharf-test-registry"
    static let issuer = "wharf-test-issuer"
    /// Longest the server may take to answer its first request.
    static let startTimeout: TimeInterval = 10
    /// Pause between two probes while it starts.
    static let probeInterval: TimeInterval = 0.05
    /// Longest one probe may take (curl's own limit; the subprocess gets a little more).
    static let probeTimeLimit: TimeInterval = 2

    let port: Int
    let certificate: String
    let tls: Bool
    /// The CA and the HTTPS certificate for 127.0.0.1 it signed (with `tls`).
    let certificates: LoopbackCertificates?
    /// The CA a client must trust to reach the token service (with `tls`).
    var caFile: String? { certificates?.caFile }
    private let directory: String
    private let process = Process()
    /// The server's output (python's tracebacks), quoted when it fails to start.
    var logFile: String { directory + "/token-server.log" }

    init(directory: String, username: String, password: String, tls: Bool = false) throws {
        port = try FreePort.pick()
        certificate = directory + "/token.pem"
        self.tls = tls
        self.directory = directory
        try Subprocess.shell("""
        cd '\(directory)' && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=wharf token issuer' \
          -keyout token.key -out token.pem 2>/dev/null
        """)
        let script = directory + "/token-server.py"
        try Data(Self.program.utf8).write(to: URL(fileURLWithPath: script))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--pdeathsig", "KILL", "python3", script, String(port), directory + "/token.key", certificate,
                             Self.service, Self.issuer, username, password]
        certificates = try tls ? LoopbackCertificates(in: directory, prefix: "tls-", caName: "wharf token CA") : nil
        if let certificates { process.arguments? += [certificates.certificateFile, certificates.keyFile] }
        guard FileManager.default.createFile(atPath: logFile, contents: nil) else {
            throw TestFailure("token server: could not create \(logFile)")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        defer { try? log.close() }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        do {
            try waitUntilServing()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    var realm: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)/token" }

    /// Probes the token endpoint until it answers at all (any HTTP status), failing early when
    /// the server exits; the failure quotes the server's log.
    private func waitUntilServing() throws {
        let arguments = ["-s", "-k", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", String(Int(Self.probeTimeLimit)), realm]
        let deadline = Date().addingTimeInterval(Self.startTimeout)
        var lastProbe = "none"
        while Date() < deadline {
            guard process.isRunning else {
                throw TestFailure("token server exited with \(process.terminationStatus) before serving: \(log())")
            }
            let probe = try Subprocess.run(executable: "/usr/bin/curl", arguments: arguments, timeLimit: Self.probeTimeLimit + 3)
            if probe.status == 0 { return }
            lastProbe = "HTTP status \(probe.stdoutText), curl exit \(probe.status)"
            Thread.sleep(forTimeInterval: Self.probeInterval)
        }
        throw TestFailure("token server did not answer \(realm) within \(Self.startTimeout) s (last probe: \(lastProbe)): \(log())")
    }

    /// What the server wrote to `logFile` so far.
    func log() -> String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private static let program = #"""
import base64, http.server, json, ssl, subprocess, sys, time, urllib.parse
port, key, cert, service, issuer, user, password = sys.argv[1:8]
der = ssl.PEM_cert_to_DER_cert(open(cert).read())
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        auth = self.headers.get("Authorization", "")
        granted = False
        if auth.startswith("Basic "):
            given = base64.b64decode(auth[6:]).decode()
            if given != user + ":" + password:
                self.send_response(401); self.send_header("Content-Type", "application/json"); self.end_headers()
                self.wfile.write(b'{"details":"bad credentials"}'); return
            granted = True
        access = []
        for scope in query.get("scope", []):
            kind, name, actions = scope.split(":")
            access.append({"type": kind, "name": name, "actions": actions.split(",") if granted else []})
        now = int(time.time())
        header = {"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(der).decode()]}
        claims = {"iss": issuer, "sub": user if granted else "", "aud": service, "exp": now + 300, "nbf": now - 10,
                  "iat": now, "jti": str(time.time_ns()), "access": access}
        signing_input = (b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())).encode()
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input,
                                   capture_output=True, check=True).stdout
        body = json.dumps({"token": signing_input.decode() + "." + b64(signature)}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
if len(sys.argv) > 9:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[8], sys.argv[9])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
"""#
}
