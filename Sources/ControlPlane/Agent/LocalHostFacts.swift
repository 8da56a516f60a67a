import Foundation

/// What this machine is: cores, memory, architecture, a stable identity. Read once per
/// ``LocalAgent/describeHost()``.
enum LocalHostFacts {
    /// ECS CPU units per core.
    static let cpuUnitsPerCore = 1024
    /// Where the kernel reports memory.
    static let meminfoPath = "/proc/meminfo"
    /// The machine's stable identity (systemd); `/var/lib/dbus/machine-id` on older systems.
    static let machineIDPaths = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
    /// Hex digits of an EC2 instance ID after `i-`.
    static let instanceIDDigits = 17

    /// Online cores × 1024.
    static func cpuUnits() -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount) * cpuUnitsPerCore
    }

    /// `MemTotal` in MiB.
    static func memoryMiB() throws(AgentError) -> Int {
        guard let text = try? String(contentsOfFile: meminfoPath, encoding: .utf8) else {
            throw .hostInspection(step: "read \(meminfoPath)", message: "not readable")
        }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "MemTotal:       24683604 kB"
            if fields.count >= 2, let kibibytes = Int(fields[1]) { return kibibytes / 1024 }
        }
        throw .hostInspection(step: "read MemTotal from \(meminfoPath)", message: "no MemTotal line")
    }

    /// `x86_64` or `arm64` (ECS's spelling), from uname.
    static func cpuArchitecture() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "x86_64" }
        let machine = withUnsafeBytes(of: &name.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return machine == "aarch64" ? "arm64" : machine
    }

    /// `i-` + the first 17 hex digits of the machine ID: stable across restarts of the daemon
    /// and of the host, different between hosts.
    static func instanceID() throws(AgentError) -> String {
        for path in machineIDPaths {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let hex = text.lowercased().filter { $0.isHexDigit }
            if hex.count >= instanceIDDigits { return "i-" + hex.prefix(instanceIDDigits) }
        }
        throw .hostInspection(step: "read the machine ID (\(machineIDPaths.joined(separator: ", ")))",
                              message: "none readable; configure instanceID")
    }
}
