import LinuxHost
import Yams

/// The whole load balancer configuration: worker count, listeners, target groups, timeouts and
/// limits. A plain value; `TargetRegistry.apply(configuration:now:)` turns it into run-time state.
///
/// Read from YAML or JSON with camelCase keys (see `configs/lb.yaml`). Every field has ALB's
/// name and default where ALB has one; unknown keys, wrong types, out-of-range values,
/// duplicate names or ports and references to missing target groups are errors naming the
/// field path and line.
public struct LBConfiguration: Sendable, Equatable {
    /// Event-loop threads; 0 means one per CPU core.
    public var workers = 0
    public var listeners: [ListenerConfiguration] = []
    public var targetGroups: [TargetGroupConfiguration] = []
    public var timeouts = TimeoutConfiguration()
    public var limits = LimitConfiguration()

    public static let workersRange: ClosedRange<Int> = 0...1024

    public init() {}

    /// Reads and parses the file at `path` (YAML or JSON). Relative certificate paths are taken
    /// relative to the file's directory.
    public static func load(path: String) throws(ConfigurationError) -> LBConfiguration {
        let text: String
        do {
            text = try FileSystem.read(path)
        } catch {
            throw ConfigurationError(.unreadable, source: path, field: "", line: nil, message: error.description)
        }
        var configuration = try parse(text, source: path)
        if let slash = path.lastIndex(of: "/") {
            let directory = String(path[...slash])
            for listenerIndex in configuration.listeners.indices {
                for certificateIndex in configuration.listeners[listenerIndex].certificates.indices {
                    configuration.listeners[listenerIndex].certificates[certificateIndex].resolve(against: directory)
                }
            }
        }
        return configuration
    }

    /// Parses a YAML or JSON document; `source` names it in errors (a path, or e.g. `"inline"`).
    public static func parse(
        _ text: String, source: String = "configuration"
    ) throws(ConfigurationError)
        -> LBConfiguration
    {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigurationError(
                    .syntax, source: source, field: "", line: nil, message: "the document is empty")
            }
            root = node
        } catch let error as ConfigurationError {
            throw error
        } catch let error as YamlError {
            throw ConfigurationError(error, source: source)
        } catch {
            throw ConfigurationError(.syntax, source: source, field: "", line: nil, message: "\(error)")
        }
        return try ConfigurationDecoder(source: source).decode(ConfigNode(node: root, path: "", source: source))
    }
}

extension CertificateConfiguration {
    mutating func resolve(against directory: String) {
        if !certificate.hasPrefix("/") { certificate = directory + certificate }
        if !privateKey.hasPrefix("/") { privateKey = directory + privateKey }
    }
}

extension ConfigurationError {
    /// A syntax error from Yams, with the line libyaml reported.
    init(_ error: YamlError, source: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            self.init(
                .syntax, source: source, field: "", line: mark.line, message: "not valid YAML/JSON: \(prefix)\(problem)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            // libyaml reports the first occurrence and not the mapping's path, so the field is
            // the key alone.
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self.init(
                .duplicate, source: source, field: duplicates.first ?? "",
                line: context.mark.line > 0 ? context.mark.line : nil,
                message: "key \(keys) appears more than once in the same mapping")
        default:
            self.init(.syntax, source: source, field: "", line: nil, message: "not valid YAML/JSON: \(error)")
        }
    }
}

extension LBConfiguration {
    /// Decodes a load-balancer configuration embedded in a larger document (e.g. the
    /// `loadBalancer` section of `wharf serve`'s configuration); errors name fields under
    /// `fieldPath` (`loadBalancer.targetGroups[0].port`).
    public static func decode(_ node: Node, fieldPath: String, source: String) throws(ConfigurationError) -> LBConfiguration {
        try ConfigurationDecoder(source: source).decode(ConfigNode(node: node, path: fieldPath, source: source))
    }
}
