import Foundation
import Testing
@testable import AWSProtocol

/// The real AWS CLI against the router, over a loopback HTTP server started by the test,
/// with a credentials file made by `CredentialStore.loadOrCreate`.
@Suite("AWS CLI end to end")
struct AWSCLITests {
    /// Where the AWS CLI is: the first `aws` on `PATH`, then pyenv's shim.
    static let awsExecutable: String? = {
        var candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/aws" }
        candidates.append("/root/.pyenv/shims/aws")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `aws ecs list-clusters` against `port` with the given credentials file.
    static func listClusters(port: UInt16, credentialsFile: String, home: String) throws -> Subprocess.Result {
        let aws = try #require(awsExecutable, "the AWS CLI is not installed")
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["HOME"] = home
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentialsFile
        environment["AWS_PROFILE"] = CredentialStore.defaultProfile
        environment["AWS_CONFIG_FILE"] = home + "/no-config"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        return try Subprocess.run(
            executable: aws,
            arguments: ["ecs", "list-clusters", "--endpoint-url", "http://127.0.0.1:\(port)", "--region", "us-east-1",
                        "--output", "json"],
            environment: environment)
    }

    @Test("aws ecs list-clusters verifies end to end; a wrong secret gets InvalidSignatureException")
    func listClusters() throws {
        let directory = try TemporaryDirectory()
        let credentialsFile = directory.file("credentials")
        let (store, outcome) = try CredentialStore.loadOrCreate(path: credentialsFile)
        guard case .created(let credential) = outcome else {
            Issue.record("expected generated credentials")
            return
        }

        let seen = ContextLog()
        var router = AWSJSONRouter(verifier: SigV4Verifier(credentials: store))
        router.register(.ecs, operations: ["ListClusters"]) { operation, _, context in
            seen.record(context)
            return ["clusterArns": []]
        }
        let server = try LoopbackHTTPServer { [router] request in await router.handle(request) }
        defer { server.stop() }

        let result = try Self.listClusters(port: server.port, credentialsFile: credentialsFile, home: directory.path)
        #expect(result.status == 0, "aws failed: \(result.stderrText)")
        #expect(try JSONParser().parse(Array(result.stdout)) == ["clusterArns": []])
        let context = try #require(seen.all.first)
        #expect(context.operation == "ListClusters")
        #expect(context.identity == AuthenticatedIdentity(
            accessKeyID: credential.accessKeyID, profile: "wharf", region: "us-east-1", service: "ecs"))

        var wrong = credential
        wrong.secretAccessKey = String(credential.secretAccessKey.reversed())
        let wrongFile = directory.file("wrong-credentials")
        try CredentialsFile.render([wrong]).write(toFile: wrongFile, atomically: true, encoding: .utf8)
        let refused = try Self.listClusters(port: server.port, credentialsFile: wrongFile, home: directory.path)
        #expect(refused.status != 0)
        #expect(refused.stderrText.contains(
            "An error occurred (InvalidSignatureException) when calling the ListClusters operation: "
                + SigV4VerificationError.signatureMismatchMessage), "stderr: \(refused.stderrText)")
        #expect(seen.all.count == 1)
    }
}
