import AWSProtocol
import Foundation
@testable import SecretsManager

struct Failure: Error, CustomStringConvertible {
    var description: String
}

/// Signs requests as the AWS CLI would for Secrets Manager, at a fixed time.
enum Signing {
    static let credential = AWSCredential(
        profile: "wharf", accessKeyID: "AKIAWHARFSECRETS0001", secretAccessKey: "s3cr3tsM4n4g3r+T3st/Abcdefghijklmnopqrstu")
    static let region = "eu-west-1"
    static let date = Date(timeIntervalSince1970: 1_795_342_500)

    static func verifier(clock: @escaping @Sendable () -> Date) throws -> SigV4Verifier {
        SigV4Verifier(credentials: try CredentialStore(credentials: [credential]), clock: clock)
    }

    static func request(_ operation: String, _ body: JSONValue, date: Date, service: String = "secretsmanager") throws -> AWSRequest {
        var request = AWSRequest(
            method: "POST", path: "/",
            headers: [
                (name: "Host", value: "127.0.0.1:8080"),
                (name: "Content-Type", value: "application/x-amz-json-1.1"),
                (name: "X-Amz-Target", value: "secretsmanager.\(operation)"),
            ],
            body: JSONWriter.bytes(body))
        try SigV4Signer(credential: credential, region: region, service: service).sign(&request, date: date)
        return request
    }
}

/// A settable clock, so recovery windows can pass.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Signing.date

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(days: Double) {
        lock.lock()
        current += days * 86_400
        lock.unlock()
    }
}

/// The API on an in-memory store behind a real router with SigV4, and helpers to call it.
struct APIFixture {
    static let account = "123456789012"

    let store: SecretsStore
    let clock = TestClock()
    let router: AWSJSONRouter

    init(store: SecretsStore? = nil) throws {
        self.store = try store ?? SecretsStore.inMemory()
        let clock = self.clock
        var router = AWSJSONRouter(verifier: try Signing.verifier(clock: { clock.now }))
        SecretsManagerAPI(store: self.store, accountID: Self.account, clock: { clock.now }).register(on: &router)
        self.router = router
    }

    func call(_ operation: String, _ body: JSONValue) async throws -> (status: Int, body: JSONValue) {
        let response = await router.handle(try Signing.request(operation, body, date: clock.now))
        return (response.status, try JSONParser().parse(response.body))
    }

    /// Calls `operation`, which must succeed.
    @discardableResult
    func ok(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
        let (status, output) = try await call(operation, body)
        guard status == 200 else { throw Failure(description: "\(operation) answered \(status): \(JSONWriter.string(output))") }
        return output
    }

    /// Calls `operation`, which must fail with `type`; returns the message.
    func error(_ operation: String, _ body: JSONValue, _ type: String, status: Int = 400) async throws -> String {
        let (answered, output) = try await call(operation, body)
        guard answered == status, output[member: "__type"]?.stringValue == type else {
            throw Failure(description: "\(operation) answered \(answered): \(JSONWriter.string(output)), expected \(type)")
        }
        return output[member: "message"]?.stringValue ?? ""
    }
}
