import AWSProtocol
import AWSTestSupport
import Foundation
@testable import SecretsManager

/// Signs requests as the AWS CLI would for Secrets Manager, at a fixed time.
enum Signing {
    static let requests = SignedJSONRequests(
        credential: AWSCredential(
            profile: "wharf", accessKeyID: "AKIAWHARFSECRETS0001", secretAccessKey: "s3cr3tsM4n4g3r+T3st/Abcdefghijklmnopqrstu"),
        region: "eu-west-1", service: "secretsmanager", targetPrefix: "secretsmanager")
    static let date = Date(timeIntervalSince1970: 1_795_342_500)

    static func verifier(clock: @escaping @Sendable () -> Date) throws -> SigV4Verifier {
        try requests.verifier(clock: clock)
    }

    static func request(_ operation: String, _ body: JSONValue, date: Date, service: String = "secretsmanager") throws -> AWSRequest {
        try requests.request(operation, body, date: date, service: service)
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
struct APIFixture: AWSJSONCalling {
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
        let response = router.handle(try Signing.request(operation, body, date: clock.now))
        return (response.status, try JSONParser().parse(response.body))
    }
}
