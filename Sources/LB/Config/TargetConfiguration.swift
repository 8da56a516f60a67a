/// A target listed in the configuration file: an IP address, a port and a weight.
public struct TargetConfiguration: Sendable, Equatable {
    /// The weights a target may have (as ALB's weighted forward actions, 0-999); 0 sends it nothing.
    public static let weightRange: ClosedRange<Int> = 0...999

    /// An IPv4 or IPv6 literal (no host names: the data plane does no DNS).
    public var address: String
    public var port: Int
    public var weight: Int

    public init(address: String, port: Int, weight: Int = 1) {
        self.address = address
        self.port = port
        self.weight = weight
    }
}
