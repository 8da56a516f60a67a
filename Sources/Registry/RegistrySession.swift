import Foundation
import Synchronization
import WharfIO

/// Talks to one repository of one registry for one pull: builds endpoint URLs, answers
/// authentication challenges (anonymous, bearer token from the challenge's realm, basic),
/// follows redirects (blob storage often lives elsewhere; credentials are not sent to
/// another host), retries transient failures with backoff, and turns error statuses
/// into `RegistryError`s carrying the registry's own reason.
///
/// Thread-safe: layer downloads share one session (and so one token).
final class RegistrySession: Sendable {
    /// Most redirects followed for one request.
    static let maxRedirects = 5

    let registry: String
    let repository: String
    let image: String
    let base: RegistryURL
    /// Used for every HTTPS URL, the base's or a redirect's or token realm's.
    let tls: TLSClientContext
    let credentials: RegistryCredentials?
    let timeouts: PullTimeouts
    let retry: PullRetryPolicy
    let deadline: Double
    /// The `Authorization` value that worked last (nil: anonymous so far).
    private let authorization = Mutex<String?>(nil)

    init(registry: String, repository: String, image: String, settings: RegistryHostSettings, tls: TLSClientContext,
         credentials: RegistryCredentials?, timeouts: PullTimeouts, retry: PullRetryPolicy, deadline: Double) throws(RegistryError) {
        guard let base = RegistryURL.registryBase(registry, secure: !settings.insecure) else {
            throw .invalidReference(image, reason: "bad registry host \(registry)")
        }
        self.registry = registry
        self.repository = repository
        self.image = image
        self.base = base
        self.tls = tls
        self.credentials = credentials
        self.timeouts = timeouts
        self.retry = retry
        self.deadline = deadline
    }

    func step(_ name: String) -> PullStep {
        PullStep(image: image, registry: registry, step: name, deadline: deadline, overall: timeouts.overall)
    }

    func url(_ path: String) -> RegistryURL {
        var url = base
        url.target = "/v2/" + repository + "/" + path
        return url
    }

    /// Runs `body` until it succeeds, fails permanently, or runs out of attempts or time.
    func withRetries<T>(_ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        var failures = 0
        return try withRetries(failures: &failures, body)
    }

    /// Runs `body` until it succeeds, fails permanently, or runs out of attempts or time.
    /// `failures` counts the transient failures survived so far and is carried across calls
    /// by work that spans several (a resumable blob download), so the policy's attempts and
    /// backoff bound the whole of it. The backoff doubles with each failure.
    func withRetries<T>(failures: inout Int, _ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        while true {
            do { return try body() } catch {
                let backoff = retry.initialBackoff * Double(1 << min(failures, Self.maxBackoffDoublings))
                guard error.isTransient, failures + 1 < retry.attempts, PullStep.now() + backoff < deadline else { throw error }
                failures += 1
                usleep(UInt32(backoff * 1_000_000))
            }
        }
    }

    /// Doublings of the initial backoff at most (bounds the shift; the deadline bounds the rest).
    static let maxBackoffDoublings = 20

    /// One request, with authentication and redirects, no retries.
    func requestOnce(_ method: String, _ start: RegistryURL, headers: [(String, String)], step: PullStep) throws(RegistryError) -> HTTPClientResponse {
        var url = start
        var redirects = 0
        var answeredChallenge = false
        while true {
            var sent = headers
            // Credentials go only to the registry itself, never to a redirect target.
            let sameHost = url.host == base.host && url.port == base.port
            if sameHost, let value = authorization.withLock({ $0 }) { sent.append(("Authorization", value)) }
            let response = try HTTPClientResponse(method: method, url: url, headers: sent, tls: tls, timeouts: timeouts, step: step)
            switch response.status {
            case 200..<300:
                return response
            case 301, 302, 303, 307, 308:
                redirects += 1
                guard redirects <= Self.maxRedirects, let location = response.header("location"), let next = url.resolving(location) else {
                    throw step.protocolViolation("bad or too many redirects (status \(response.status))")
                }
                guard next.secure || !url.secure || !base.secure else {
                    throw step.protocolViolation("refusing redirect from HTTPS to plain HTTP \(next)")
                }
                url = next
            case 401 where sameHost && !answeredChallenge:
                answeredChallenge = true
                let challenges = response.headerValues("www-authenticate").compactMap { AuthenticationChallenge(parsing: $0) }
                let detail = Self.errorDetail(try? response.readAll())
                guard let challenge = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first(where: { $0.scheme == "basic" }) else {
                    throw .unauthorized(image: image, registry: registry, step: step.step, detail: "401 without a usable challenge: \(detail)")
                }
                let value = try answer(challenge, step: step, detail: detail)
                authorization.withLock { $0 = value }
            default:
                let detail = Self.errorDetail(try? response.readAll())
                switch response.status {
                case 401, 403:
                    throw .unauthorized(image: image, registry: registry, step: step.step, detail: "HTTP \(response.status): \(detail)")
                case 404:
                    throw .notFound(image: image, registry: registry, step: step.step, detail: detail)
                default:
                    throw .httpStatus(image: image, registry: registry, step: step.step, status: response.status, detail: detail)
                }
            }
        }
    }

    /// The `Authorization` value answering `challenge`.
    private func answer(_ challenge: AuthenticationChallenge, step: PullStep, detail: String) throws(RegistryError) -> String {
        if challenge.scheme == "basic" {
            guard let credentials else {
                throw .unauthorized(image: image, registry: registry, step: step.step, detail: "registry wants credentials and none are configured (\(detail))")
            }
            return credentials.basicAuthorization
        }
        guard let realmText = challenge.parameters["realm"], let realm = RegistryURL(parsing: realmText) else {
            throw step.protocolViolation("bearer challenge without a usable realm")
        }
        var query: [String] = []
        if let service = challenge.parameters["service"] { query.append("service=" + RegistryURL.encodeQueryValue(service)) }
        let scope = challenge.parameters["scope"] ?? "repository:\(repository):pull"
        query.append("scope=" + RegistryURL.encodeQueryValue(scope))
        var tokenURL = realm
        tokenURL.target += (tokenURL.target.contains("?") ? "&" : "?") + query.joined(separator: "&")
        let tokenStep = step.with(step: "authenticate at \(realm.authority)")
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let credentials { headers.append(("Authorization", credentials.basicAuthorization)) }
        let response = try withRetries { () throws(RegistryError) in
            try HTTPClientResponse(method: "GET", url: tokenURL, headers: headers, tls: tls, timeouts: timeouts, step: tokenStep)
        }
        let body = try response.readAll()
        guard response.status == 200 else {
            let reason = "token service answered HTTP \(response.status): \(Self.errorDetail(body))"
            if response.status == 401 || response.status == 403 {
                throw .unauthorized(image: image, registry: registry, step: tokenStep.step, detail: reason)
            }
            throw .httpStatus(image: image, registry: registry, step: tokenStep.step, status: response.status, detail: reason)
        }
        struct TokenResponse: Decodable { var token: String?; var access_token: String? }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(body)),
              let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw tokenStep.protocolViolation("token response has no token")
        }
        return "Bearer " + token
    }

    /// The registry's reason from an error body (`{"errors":[{"code","message"}]}`), or the
    /// start of the body as text.
    static func errorDetail(_ body: [UInt8]?) -> String {
        guard let body, !body.isEmpty else { return "no details given" }
        struct Errors: Decodable {
            struct Entry: Decodable { var code: String?; var message: String? }
            var errors: [Entry]
        }
        if let decoded = try? JSONDecoder().decode(Errors.self, from: Data(body)), !decoded.errors.isEmpty {
            return decoded.errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
        }
        return String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
