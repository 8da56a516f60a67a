import Synchronization
@testable import AWSProtocol

/// The request contexts a test handler saw, shared with the handler.
final class ContextLog: Sendable {
    private let contexts = Mutex<[RequestContext]>([])

    func record(_ context: RequestContext) { contexts.withLock { $0.append(context) } }
    var all: [RequestContext] { contexts.withLock { $0 } }
}
