import AWSProtocol
import LB
import WharfIO

/// Serves AWS JSON 1.1 APIs (ECS, Application Auto Scaling, Secrets Manager) on Wharf's HTTP
/// engine: each request becomes an `AWSRequest`, goes through the router (SigV4,
/// `X-Amz-Target` dispatch, AWS's error envelope) on one of the application's worker threads,
/// and the response is written back by the engine.
///
/// Every service's handlers block on their store, so requests run on ``workerThreads`` threads
/// of their own that take from one shared queue, never on an event loop's thread nor on Swift's
/// cooperative pool: a pool thread blocked waiting for one of the store's reader connections
/// could be the very thread an async store read needs in order to finish and hand its
/// connection back, and with every pool thread (two on a two-core host) blocked that way the
/// daemon stopped answering.
public final class AWSAPIApplication: HTTPApplication {
    /// Requests handled at once; more wait in the queue without holding a thread. Below the
    /// store's reader connections (``ECSStore/readerConnections``), so requests alone never
    /// take every reader and the control plane's own async reads always find one.
    public static let workerThreads = ECSStore.readerConnections - 1

    private let router: AWSJSONRouter
    private let workers: RequestWorkerPool

    /// Starts the ``workerThreads`` threads (named `wharf-api-N`) that serve `router`.
    public init(router: AWSJSONRouter) throws(IOError) {
        self.router = router
        self.workers = try RequestWorkerPool(name: "wharf-api", threadCount: Self.workerThreads)
    }

    public var maxRequestBodyBytes: Int { router.limits.maximumBodyBytes }

    /// AWS's JSON error (`RequestEntityTooLargeException`), so the CLI and SDKs show it as
    /// they would any service error.
    public func bodyTooLargeResponse(declaredLength: Int?) -> HTTPServerResponse? {
        let response = router.bodyTooLargeResponse(byteCount: declaredLength)
        return HTTPServerResponse(status: response.status, headers: response.headers, body: response.body)
    }

    public func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let awsRequest = AWSRequest(
            method: request.method, path: String(request.path), query: String(request.query),
            headers: request.headers, body: request.body
        )
        let router = self.router
        workers.submit {
            let response = router.handle(awsRequest)
            respond(HTTPServerResponse(status: response.status, headers: response.headers, body: response.body))
        }
    }
}
