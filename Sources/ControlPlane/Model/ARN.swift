/// An Amazon ECS ARN: `arn:PARTITION:ecs:REGION:ACCOUNT:RESOURCE`.
///
/// Formats (ECS Developer Guide, "Amazon Resource Names (ARNs) and IDs"):
/// - `cluster/NAME`
/// - `task-definition/FAMILY:REVISION`
/// - `task/CLUSTER/ID` (the old format `task/ID` is parsed too)
/// - `service/CLUSTER/NAME` (old: `service/NAME`)
/// - `container-instance/CLUSTER/ID` (old: `container-instance/ID`)
/// - `capacity-provider/NAME`
/// - `task-set/CLUSTER/SERVICE/ID`
/// - `service-deployment/CLUSTER/SERVICE/ID` and `service-revision/CLUSTER/SERVICE/ID`
public struct ECSARN: Sendable, Hashable, CustomStringConvertible {
    /// The resource part of an ECS ARN.
    public enum Resource: Sendable, Hashable {
        case cluster(name: String)
        /// `revision` is nil only for an ARN written without one, which DescribeTaskDefinition
        /// reads as the family's latest ACTIVE revision.
        case taskDefinition(family: String, revision: Int?)
        /// `cluster` is nil in the old ARN format.
        case task(cluster: String?, id: String)
        case service(cluster: String?, name: String)
        case containerInstance(cluster: String?, id: String)
        case capacityProvider(name: String)
        case taskSet(cluster: String, service: String, id: String)
        case serviceDeployment(cluster: String, service: String, id: String)
        case serviceRevision(cluster: String, service: String, id: String)

        /// The resource type as the ARN spells it (`cluster`, `task-definition`, ...).
        public var typeName: String {
            switch self {
            case .cluster: "cluster"
            case .taskDefinition: "task-definition"
            case .task: "task"
            case .service: "service"
            case .containerInstance: "container-instance"
            case .capacityProvider: "capacity-provider"
            case .taskSet: "task-set"
            case .serviceDeployment: "service-deployment"
            case .serviceRevision: "service-revision"
            }
        }

        /// The text after `TYPE/`.
        var path: String {
            func scoped(_ cluster: String?, _ rest: String) -> String {
                cluster.map { "\($0)/\(rest)" } ?? rest
            }
            switch self {
            case .cluster(let name): return name
            case .taskDefinition(let family, let revision): return revision.map { "\(family):\($0)" } ?? family
            case .task(let cluster, let id): return scoped(cluster, id)
            case .service(let cluster, let name): return scoped(cluster, name)
            case .containerInstance(let cluster, let id): return scoped(cluster, id)
            case .capacityProvider(let name): return name
            case .taskSet(let cluster, let service, let id), .serviceDeployment(let cluster, let service, let id),
                 .serviceRevision(let cluster, let service, let id):
                return "\(cluster)/\(service)/\(id)"
            }
        }
    }

    /// The ARN partition; Wharf always answers `aws`.
    public static let defaultPartition = "aws"
    /// The service namespace of every ECS ARN.
    public static let service = "ecs"

    public var partition: String
    public var region: String
    public var accountID: String
    public var resource: Resource

    public init(partition: String = ECSARN.defaultPartition, region: String, accountID: String, resource: Resource) {
        self.partition = partition
        self.region = region
        self.accountID = accountID
        self.resource = resource
    }

    public var description: String {
        "arn:\(partition):\(Self.service):\(region):\(accountID):\(resource.typeName)/\(resource.path)"
    }

    /// Parses an ECS ARN; nil if `text` is not one (wrong prefix or service, empty parts, unknown
    /// resource type, wrong number of path segments, non-numeric task definition revision).
    public init?(parsing text: String) {
        guard let parts = Parts(parsing: text), let resource = Resource(parsing: parts.resource) else { return nil }
        self.init(partition: String(parts.partition), region: String(parts.region), accountID: String(parts.accountID),
                  resource: resource)
    }

    /// The pieces of an ARN's text: `arn:PARTITION:ecs:REGION:ACCOUNT:` checked and split, and
    /// the resource part after it, not yet parsed. ``init(parsing:)`` and callers that need only
    /// one piece (a task's cluster ARN reuses the prefix as it is) share these rules.
    struct Parts {
        var partition: Substring
        var region: Substring
        var accountID: Substring
        /// Everything after the fifth colon (`TYPE/PATH`); its start ends the prefix.
        var resource: Substring

        /// nil if `text` does not start `arn:PARTITION:ecs:REGION:ACCOUNT:` with no part empty.
        init?(parsing text: String) {
            // Scanned in place: every rendered task asks for its cluster's ARN through here, and
            // splitting into an array of parts cost as much as the rest of the rendering.
            var start = text.startIndex
            func field() -> Substring? {
                guard let colon = text.utf8[start...].firstIndex(of: UInt8(ascii: ":")) else { return nil }
                defer { start = text.utf8.index(after: colon) }
                return text[start..<colon]
            }
            guard let scheme = field(), scheme == "arn", let partition = field(), let service = field(),
                  service == Substring(ECSARN.service), let region = field(), let accountID = field(),
                  !partition.isEmpty, !region.isEmpty, !accountID.isEmpty
            else { return nil }
            self.partition = partition
            self.region = region
            self.accountID = accountID
            resource = text[start...]
        }
    }

    /// Whether `text` looks like an ARN rather than a short name or ID (ECS accepts either in most
    /// members and tells them apart by this prefix).
    public static func looksLikeARN(_ text: String) -> Bool {
        text.hasPrefix("arn:")
    }
}

extension ECSARN.Resource {
    /// Parses an ARN's resource part (`TYPE/PATH`); nil for an unknown type, the wrong number
    /// of path segments, an empty segment, a non-numeric task definition revision, or a colon
    /// anywhere but before a revision.
    init?(parsing resourceText: Substring) {
        guard let slash = resourceText.firstIndex(of: "/") else { return nil }
        let type = resourceText[..<slash]
        let path = resourceText[resourceText.index(after: slash)...]
        // Substrings: only the case that matches makes strings (task ARNs are parsed for every
        // rendered task's cluster ARN).
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty }) else { return nil }

        switch (type, segments.count) {
        case ("cluster", 1):
            self = .cluster(name: String(segments[0]))
        case ("task-definition", 1):
            let pieces = segments[0].split(separator: ":", omittingEmptySubsequences: false)
            switch pieces.count {
            case 1:
                self = .taskDefinition(family: String(segments[0]), revision: nil)
            case 2:
                guard !pieces[0].isEmpty, let revision = Int(pieces[1]), revision > 0 else { return nil }
                self = .taskDefinition(family: String(pieces[0]), revision: revision)
            default:
                return nil
            }
        case ("task", 1): self = .task(cluster: nil, id: String(segments[0]))
        case ("task", 2): self = .task(cluster: String(segments[0]), id: String(segments[1]))
        case ("service", 1): self = .service(cluster: nil, name: String(segments[0]))
        case ("service", 2): self = .service(cluster: String(segments[0]), name: String(segments[1]))
        case ("container-instance", 1): self = .containerInstance(cluster: nil, id: String(segments[0]))
        case ("container-instance", 2): self = .containerInstance(cluster: String(segments[0]), id: String(segments[1]))
        case ("capacity-provider", 1): self = .capacityProvider(name: String(segments[0]))
        case ("task-set", 3): self = .taskSet(cluster: String(segments[0]), service: String(segments[1]), id: String(segments[2]))
        case ("service-deployment", 3):
            self = .serviceDeployment(cluster: String(segments[0]), service: String(segments[1]), id: String(segments[2]))
        case ("service-revision", 3):
            self = .serviceRevision(cluster: String(segments[0]), service: String(segments[1]), id: String(segments[2]))
        default: return nil
        }
        // The resource part of every ECS ARN is free of colons except the revision separator.
        if case .taskDefinition = self {} else if path.utf8.contains(UInt8(ascii: ":")) { return nil }
    }
}
