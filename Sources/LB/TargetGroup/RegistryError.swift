/// Why a `TargetRegistry` operation was refused, in the terms of ELBv2's errors.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No target group of that name (`TargetGroupNotFound`).
    case targetGroupNotFound(String)
    /// The target is not registered in that group (`InvalidTarget`).
    case targetNotFound(group: String, id: TargetID)
    /// The address is not an IP literal (`InvalidTarget`).
    case invalidAddress(String, reason: String)
    /// Port outside 1-65535 (`InvalidTarget`).
    case invalidPort(Int)
    /// Weight outside 0-999.
    case invalidWeight(Int)

    public var description: String {
        switch self {
        case .targetGroupNotFound(let name): return "register/deregister: target group '\(name)' not found"
        case .targetNotFound(let group, let id): return "deregister: \(id) is not registered in target group '\(group)'"
        case .invalidAddress(let address, let reason): return "register: invalid target address '\(address)': \(reason)"
        case .invalidPort(let port): return "register: target port \(port) is outside 1-65535"
        case .invalidWeight(let weight):
            return
                "register: weight \(weight) is outside \(TargetConfiguration.weightRange.lowerBound)-\(TargetConfiguration.weightRange.upperBound)"
        }
    }
}
