import Foundation
import Testing
import WharfTestSupport
@testable import AWSProtocol

/// Signs requests with the real botocore (`botocore.auth.SigV4Auth`), through a Python
/// process started by the test, so the verifier is checked against AWS's own client rather
/// than against this module's signer.
enum Botocore {
    /// One request for botocore to sign.
    struct Case: Encodable {
        var method: String
        /// Scheme, host, port and the already-encoded path (plus an already-encoded query).
        var url: String
        /// Query parameters botocore adds itself (its `params` mode); empty for none.
        var params: [[String]] = []
        var headers: [[String]] = []
        var body: String = ""
        var accessKey: String
        var secretKey: String
        var token: String?
        var region: String
        var service: String
    }

    /// The script: pins botocore's clock, signs each case and prints the request as it goes
    /// on the wire (with the `Host` header urllib3 adds, and repeated headers kept).
    static let script = #"""
import sys, json, datetime
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from urllib.parse import urlsplit

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec["time"], "%Y%m%dT%H%M%SZ")
botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
signed = []
for case in spec["cases"]:
    request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode("utf-8"))
    if case["params"]:
        request.params = [(name, value) for name, value in case["params"]]
    for name, value in case["headers"]:
        request.headers[name] = value
    credentials = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
    SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
    prepared = request.prepare()
    parts = urlsplit(prepared.url)
    # The signed request's own headers keep repeated names (prepare() folds them into a
    # dict); headers prepare() adds, such as Content-Length, are not signed but are sent.
    headers = [[name, value] for name, value in request.headers.items()]
    for name, value in prepared.headers.items():
        if not any(existing.lower() == name.lower() for existing, _ in headers):
            headers.append([name, value])
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ["Host", parts.netloc])
    signed.append({"method": prepared.method, "path": parts.path, "query": parts.query,
                   "headers": headers, "body": case["body"]})
json.dump(signed, sys.stdout)
"""#

    private struct Spec: Encodable {
        let time: String
        let cases: [Case]
    }

    private struct Signed: Decodable {
        let method: String
        let path: String
        let query: String
        let headers: [[String]]
        let body: String
    }

    /// The cases as botocore signs them at `time` (`YYYYMMDDTHHMMSSZ`).
    static func sign(_ cases: [Case], at time: String) throws -> [AWSRequest] {
        let input = try JSONEncoder().encode(Spec(time: time, cases: cases))
        let output = try Python.run(script: script, stdin: input)
        return try JSONDecoder().decode([Signed].self, from: output).map { signed in
            AWSRequest(
                method: signed.method, path: signed.path, query: signed.query,
                headers: signed.headers.map { (name: $0[0], value: $0[1]) }, body: Array(signed.body.utf8))
        }
    }
}

/// Finds a Python 3 that has botocore and runs scripts with it.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The first `python3` on `PATH` (then pyenv's shim) that can import botocore.
    static let interpreter: String? = {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        candidates.append("/root/.pyenv/shims/python3")
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if (try? run(executable: candidate, script: "import botocore", stdin: Data())) != nil { return candidate }
        }
        return nil
    }()

    static func run(script: String, stdin: Data) throws -> Data {
        guard let interpreter else { throw Failure(description: "no python3 with botocore found on PATH") }
        return try run(executable: interpreter, script: script, stdin: stdin)
    }

    static func run(executable: String, script: String, stdin: Data) throws -> Data {
        let result = try Subprocess.run(executable: executable, arguments: ["-c", script], stdin: stdin)
        guard result.status == 0 else {
            throw Failure(description: "python3 exited \(result.status): \(String(decoding: result.stderr, as: UTF8.self))")
        }
        return result.stdout
    }
}
