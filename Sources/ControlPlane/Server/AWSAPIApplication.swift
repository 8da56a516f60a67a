import AWSProtocol
import LB

/// Serves AWS JSON 1.1 APIs (ECS, later Application Auto Scaling) on Wharf's HTTP engine: each
/// request becomes an `AWSRequest`, goes through the router (SigV4, `X-Amz-Target` dispatch,
/// AWS's error envelope) on a task of its own, and the response is written back by the engine.
public final class AWSAPIApplication: HTTPApplication {
    private let router: AWSJSONRouter

    public init(router: AWSJSONRouter) {
        self.router = router
    }

    public var maxRequestBodyBytes: Int { router.limits.maximumBodyBytes }

    public func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void) {
        let awsRequest = AWSRequest(
            method: request.method, path: String(request.path), query: String(request.query),
            headers: request.headers, body: request.body
        )
        let router = self.router
        // Handlers wait on the store (and the runtime): never on the event loop's thread.
        Task.detached {
            let response = await router.handle(awsRequest)
            respond(HTTPServerResponse(status: response.status, headers: response.headers, body: response.body))
        }
    }
}
