import Foundation

extension RuntimeConfiguration {
    /// Linux's longest interface name (`IFNAMSIZ` 16, less the terminating NUL).
    public static let interfaceNameMaxLength = 15
    /// The longest veth prefix: it leaves at least 7 hex digits (28 bits) of the task id in a
    /// veth name, so names of live tasks do not collide in practice; with 6 or fewer digits a
    /// host with a thousand tasks would see a collision in a few percent of launches.
    public static let vethPrefixMaxLength = 8
    /// The largest network pool: namespaces held ready cost a descriptor, a socket and a veth
    /// pair each, and a pool only has to cover a burst while it refills.
    public static let networkPoolMaxSize = 64
    /// The most supervisors kept on standby (each an idle process of about a megabyte).
    public static let supervisorPoolMaxSize = 64

    /// Checks the directories (the state directory absolute, apart from the data directory) and
    /// the names the runtime gives host interfaces: the bridge name and the veth prefix must
    /// make valid Linux interface names, and the prefix must leave room for the task id.
    public func validate() throws(RuntimeError) {
        guard stateDirectory.hasPrefix("/") else {
            throw .invalidConfiguration(field: "stateDirectory", message: "\(stateDirectory) must be an absolute path")
        }
        guard !Self.normalized(stateDirectory).isEmpty else {
            throw .invalidConfiguration(field: "stateDirectory", message: "the state directory must not be the root directory")
        }
        // Neither inside the other: each has directories the runtime empties at start.
        let state = Self.normalized(stateDirectory), data = Self.normalized(Self.absolute(dataDirectory))
        guard state != data, !state.hasPrefix(data + "/"), !data.hasPrefix(state + "/") else {
            throw .invalidConfiguration(
                field: "stateDirectory", message: "\(stateDirectory) must be apart from the data directory \(dataDirectory) (neither inside the other)")
        }
        guard (1...Self.interfaceNameMaxLength).contains(bridgeName.utf8.count) else {
            throw .invalidConfiguration(
                field: "bridgeName",
                message: "\(bridgeName) must be 1 to \(Self.interfaceNameMaxLength) characters (a Linux interface name)")
        }
        guard Self.isValidInterfaceName(bridgeName) else {
            throw .invalidConfiguration(
                field: "bridgeName", message: "\(bridgeName) is not a valid interface name (no /, :, whitespace, . or ..)")
        }
        guard (1...Self.vethPrefixMaxLength).contains(vethPrefix.utf8.count) else {
            throw .invalidConfiguration(
                field: "vethPrefix",
                message: "\(vethPrefix) must be 1 to \(Self.vethPrefixMaxLength) characters, leaving room for the task id")
        }
        guard Self.isValidInterfaceName(vethPrefix) else {
            throw .invalidConfiguration(
                field: "vethPrefix", message: "\(vethPrefix) cannot start an interface name (no /, :, whitespace, . or ..)")
        }
        guard dynamicHostPortRange.lowerBound >= 1 else {
            throw .invalidConfiguration(field: "dynamicHostPortRange", message: "\(dynamicHostPortRange) includes port 0, which is no port")
        }
        guard (0...Self.networkPoolMaxSize).contains(networkPoolSize) else {
            throw .invalidConfiguration(
                field: "networkPoolSize", message: "\(networkPoolSize) must be 0 (no pool) to \(Self.networkPoolMaxSize)")
        }
        guard (0...Self.supervisorPoolMaxSize).contains(supervisorPoolSize) else {
            throw .invalidConfiguration(
                field: "supervisorPoolSize", message: "\(supervisorPoolSize) must be 0 (no pool) to \(Self.supervisorPoolMaxSize)")
        }
    }

    /// The kernel's `dev_valid_name` rule, length aside: not `.` or `..`, and no `/`, `:` or
    /// whitespace.
    static func isValidInterfaceName(_ name: String) -> Bool {
        name != "." && name != ".."
            && !name.unicodeScalars.contains { $0 == "/" || $0 == ":" || $0.properties.isWhitespace }
    }
}
