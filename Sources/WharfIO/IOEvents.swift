import CLibev

/// Readiness a descriptor is watched for, or was reported with: `.read`, `.write` or both.
public struct IOEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int32

    @inlinable
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Readable, or the peer closed, or an error is pending (`EV_READ`).
    public static let read = IOEvents(rawValue: Int32(EV_READ))
    /// Writable, or a non-blocking connect finished (`EV_WRITE`).
    public static let write = IOEvents(rawValue: Int32(EV_WRITE))
    /// Both.
    public static let readWrite: IOEvents = [.read, .write]
}
