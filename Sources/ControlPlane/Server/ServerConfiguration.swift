import Foundation
import LB
import WharfIO
import Yams

/// `wharf serve`'s configuration file (YAML or JSON): where the API listens, the region and
/// account the ARNs name, and the load balancer's listeners and target groups (the same schema
/// as `wharf lb`'s file, under `loadBalancer`).
///
/// ```yaml
/// region: us-east-1
/// accountId: "123456789012"
/// listen: 127.0.0.1:7080
/// dashboard: 127.0.0.1:7081     # or "off"
/// autoscaling:
///   scaleInStabilizationSeconds: 120
/// loadBalancer:
///   listeners: [...]
///   targetGroups: [...]
/// ```
public struct ServerConfiguration: Sendable {
    public var region = "us-east-1"
    public var accountID = "123456789012"
    /// The ECS API's address (loopback by default: the API holds the keys to the host).
    public var listen = "127.0.0.1:7080"
    /// The dashboard's (and `/metrics`') address; nil serves none. Loopback by default: it
    /// shows the whole cluster to whoever reaches it.
    public var dashboard: String? = "127.0.0.1:7081"
    public var loadBalancer = LBConfiguration()
    /// How long target tracking waits, with the metric clearly below target all along, before
    /// it scales in (Wharf's stabilization window; AWS waits 15 one-minute datapoints).
    public var scaleInStabilizationSeconds = 120
    /// The accepted range of ``scaleInStabilizationSeconds``.
    public static let scaleInStabilizationRange = 5...3600

    public init() {}

    /// Why a configuration file was refused: the field and line, as `wharf lb` reports them.
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public var field: String
        public var line: Int?
        public var message: String
        public var description: String {
            "\(field.isEmpty ? "configuration" : field)\(line.map { " (line \($0))" } ?? ""): \(message)"
        }
    }

    /// `text` if it is an IP address and port (`127.0.0.1:7080`, `[::1]:7080`), else an error
    /// naming `field`.
    public static func listenAddress(_ text: String, field: String, line: Int? = nil) throws(ServerConfiguration.Error) -> String {
        guard (try? SocketAddress(text)) != nil else {
            throw Error(field: field, line: line, message: "'\(text)' is not IP:PORT (e.g. 127.0.0.1:7080; no host names)")
        }
        return text
    }

    /// Reads the file at `path`.
    public static func load(path: String) throws(ServerConfiguration.Error) -> ServerConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Error(field: "", line: nil, message: "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(text, source: path)
    }

    /// Parses a YAML or JSON document.
    public static func parse(_ text: String, source: String) throws(ServerConfiguration.Error) -> ServerConfiguration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return ServerConfiguration() }
            root = node
        } catch {
            throw Error(field: "", line: nil, message: "not valid YAML/JSON: \(error)")
        }
        guard let mapping = root.mapping else {
            throw Error(field: "", line: root.mark?.line, message: "expected a mapping at the top level")
        }
        var configuration = ServerConfiguration()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            switch key {
            case "region":
                guard let text = value.string, !text.isEmpty else { throw Error(field: key, line: line, message: "expected a region name") }
                configuration.region = text
            case "accountId":
                guard let text = value.string, text.count == 12, text.allSatisfy(\.isNumber) else {
                    throw Error(field: key, line: line, message: "expected a 12-digit account id (quote it in YAML)")
                }
                configuration.accountID = text
            case "listen":
                configuration.listen = try listenAddress(value.string ?? "", field: key, line: line)
            case "dashboard":
                let text = value.string ?? ""
                configuration.dashboard = text == "off" ? nil : try listenAddress(text, field: key, line: line)
            case "autoscaling":
                guard let fields = value.mapping else {
                    throw Error(field: key, line: line, message: "expected a mapping (scaleInStabilizationSeconds)")
                }
                for (fieldNode, fieldValue) in fields {
                    let name = "autoscaling." + (fieldNode.string ?? "")
                    let fieldLine = fieldNode.mark?.line
                    guard fieldNode.string == "scaleInStabilizationSeconds" else {
                        throw Error(field: name, line: fieldLine, message: "unknown key (expected scaleInStabilizationSeconds)")
                    }
                    guard let seconds = fieldValue.int, scaleInStabilizationRange.contains(seconds) else {
                        throw Error(field: name, line: fieldLine,
                                    message: "expected whole seconds between \(scaleInStabilizationRange.lowerBound) and \(scaleInStabilizationRange.upperBound)")
                    }
                    configuration.scaleInStabilizationSeconds = seconds
                }
            case "loadBalancer":
                do {
                    configuration.loadBalancer = try LBConfiguration.decode(value, fieldPath: "loadBalancer", source: source)
                } catch {
                    throw Error(field: error.field, line: error.line, message: error.message)
                }
            default:
                throw Error(field: key, line: line, message: "unknown key '\(key)' (expected region, accountId, listen, dashboard, autoscaling, loadBalancer)")
            }
        }
        return configuration
    }
}
