import LB

/// The dashboard as an ``LB/HTTPApplication``: serve it with
/// `balancer.addApplicationListener(name: "dashboard", address: "127.0.0.1:9090", application: DashboardApplication(source: source))`.
///
/// Routes (``DashboardRoute``): `/` the page, `/api/dashboard.json`, `/metrics`, `/healthz`.
/// GET and HEAD only (405 with `Allow` otherwise), 404 for other paths. Nothing is cached, and
/// the page's Content-Security-Policy allows no resource from anywhere else.
public final class DashboardApplication: HTTPApplication {
    /// The dashboard takes no request bodies.
    public static let maximumRequestBodyBytes = 0
    /// The page may load nothing from elsewhere: inline script and style, fetches to itself.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'"

    private let source: any DashboardDataSource

    public init(source: any DashboardDataSource) {
        self.source = source
    }

    public var maxRequestBodyBytes: Int { Self.maximumRequestBodyBytes }

    public func handle(_ request: HTTPServerRequest, respond: @escaping @Sendable (HTTPServerResponse) -> Void) {
        guard let route = DashboardRoute(rawValue: String(request.path)) else {
            respond(Self.response(status: 404, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8)))
            return
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = Self.response(status: 405, contentType: "text/plain; charset=utf-8", body: Array("method not allowed\n".utf8))
            response.headers.append(("Allow", "GET, HEAD"))
            respond(response)
            return
        }
        switch route {
        case .page:
            var response = Self.response(status: 200, contentType: "text/html; charset=utf-8", body: DashboardPage.bytes)
            response.headers.append(("Content-Security-Policy", Self.contentSecurityPolicy))
            respond(response)
        case .health:
            respond(Self.response(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8)))
        case .snapshot, .metrics:
            // The data source may wait on the store: never on the event loop's thread.
            let source = self.source
            Task.detached {
                respond(await Self.dataResponse(route: route, source: source))
            }
        }
    }

    private static func dataResponse(route: DashboardRoute, source: any DashboardDataSource) async -> HTTPServerResponse {
        if route == .metrics {
            return response(status: 200, contentType: PrometheusExposition.contentType, body: Array(await source.prometheusMetrics().utf8))
        }
        do {
            return response(status: 200, contentType: DashboardJSON.contentType, body: try DashboardJSON.encode(await source.snapshot()))
        } catch {
            return response(status: 500, contentType: "text/plain; charset=utf-8", body: Array("encoding the snapshot failed: \(error)\n".utf8))
        }
    }

    private static func response(status: Int, contentType: String, body: [UInt8]) -> HTTPServerResponse {
        HTTPServerResponse(
            status: status,
            headers: [("Content-Type", contentType), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")],
            body: body)
    }
}
