/// Why a ``StatisticsLayout`` could not be built from the names it was given.
///
/// Statistics are keyed by name (listeners, target groups) and by id (targets), so two entries
/// with the same key would silently share figures; the layout refuses them instead.
public enum StatisticsLayoutError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two listeners in the layout have the same name.
    case duplicateListener(name: String)
    /// Two target groups in the layout have the same name.
    case duplicateTargetGroup(name: String)
    /// Two targets of one target group have the same id.
    case duplicateTarget(targetGroup: String, id: UInt64)

    public var description: String {
        switch self {
        case .duplicateListener(let name):
            return "build statistics layout: listener \"\(name)\" is listed twice"
        case .duplicateTargetGroup(let name):
            return "build statistics layout: target group \"\(name)\" is listed twice"
        case .duplicateTarget(let group, let id):
            return "build statistics layout: target id \(id) is listed twice in target group \"\(group)\""
        }
    }
}
