import CWharfLaunch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The cgroup2 option `favordynmods`: cgroup moves that do not wait for the kernel.
///
/// Every container start moves a process into its cgroups (a `cgroup.procs` write, one per v1
/// controller). A move takes the kernel's threadgroup lock for writing, and that lock, as
/// kernels keep it by default, first waits for an RCU grace period whenever no move happened
/// shortly before: measured here, about 8 ms on a third of the container starts, which made
/// most of the launch-to-exec p99. With `favordynmods` the lock stays in the mode whose writers
/// do not wait, at a small cost to every fork and exit (the kernel's cgroup-v2 documentation;
/// Linux 6.0 and later). The lock is one for every hierarchy, so the option on the cgroup2
/// superblock (there is one, wherever it is mounted) serves v1 controllers too; a v1 hierarchy
/// takes it only when first mounted, not on a remount, and a host with no cgroup2 mount is
/// left as it is.
///
/// The option is set by reconfiguring that superblock (`fspick`, `fsconfig`) with the options
/// it already shows, so nothing else changes; the mount's own flags (`nosuid`, `nodev`, …) are
/// not touched by a superblock reconfiguration. Like `net.ipv4.ip_forward`, the setting is the
/// host's and stays after Wharf exits.
public enum CgroupDynamicModifications {
    /// What ``favor()`` found or did.
    public enum Outcome: Equatable, Sendable {
        /// The option was on already.
        case alreadyFavored(mountPoint: String)
        /// The option is on now.
        case favored(mountPoint: String)
        /// The host cannot have it from here: no cgroup2 mount, a kernel without the option
        /// (before Linux 6.0) or without `fspick` (before 5.2), or a cgroup namespace other
        /// than the host's (the kernel then accepts the reconfiguration and ignores it).
        case unsupported(reason: String)
    }

    /// The cgroup2 superblock as `/proc/self/mountinfo` shows it.
    struct Superblock: Equatable {
        var mountPoint: String
        /// Its options, `rw`/`ro` and `seclabel` (not parameters of cgroup2) left out.
        var options: [String]

        var isFavored: Bool { options.contains(option) }
    }

    /// The mount option.
    static let option = "favordynmods"

    /// Turns `favordynmods` on for the host's cgroup2 superblock unless it is on already.
    ///
    /// - Throws: ``SystemError`` when the superblock could not be reconfigured for another
    ///   reason than missing kernel support (e.g. `EPERM` without `CAP_SYS_ADMIN`).
    public static func favor() throws(SystemError) -> Outcome {
        let mountinfo = try FileSystem.read("/proc/self/mountinfo")
        guard let superblock = superblock(mountinfo: mountinfo) else {
            return .unsupported(reason: "no cgroup2 filesystem is mounted")
        }
        if superblock.isFavored { return .alreadyFavored(mountPoint: superblock.mountPoint) }
        let context = wharf_fspick(superblock.mountPoint)
        guard context >= 0 else {
            if errno == ENOSYS { return .unsupported(reason: "the kernel has no fspick (Linux 5.2)") }
            throw .current(step: "open the cgroup2 superblock at \(superblock.mountPoint) for reconfiguration", call: "fspick")
        }
        defer { close(context) }
        // The reconfiguration replaces the superblock's flags with the ones set here: every
        // option it shows now, then the new one.
        for existing in superblock.options {
            guard wharf_fsconfig_set_flag(context, existing) == 0 else {
                throw .current(step: "keep the cgroup2 option \(existing) at \(superblock.mountPoint)", call: "fsconfig")
            }
        }
        guard wharf_fsconfig_set_flag(context, option) == 0 else {
            if errno == EINVAL { return .unsupported(reason: "the kernel has no cgroup2 option \(option) (Linux 6.0)") }
            throw .current(step: "set the cgroup2 option \(option) at \(superblock.mountPoint)", call: "fsconfig")
        }
        guard wharf_fsconfig_reconfigure(context) == 0 else {
            throw .current(step: "reconfigure the cgroup2 superblock at \(superblock.mountPoint) with \(option)", call: "fsconfig")
        }
        guard Self.superblock(mountinfo: try FileSystem.read("/proc/self/mountinfo"))?.isFavored == true else {
            return .unsupported(reason: "the kernel did not apply \(option) (a cgroup namespace other than the host's?)")
        }
        return .favored(mountPoint: superblock.mountPoint)
    }

    /// The cgroup2 superblock in `/proc/self/mountinfo` text: the mount at `/sys/fs/cgroup` if
    /// that is cgroup2, else the first cgroup2 mount (a hybrid host's `/sys/fs/cgroup/unified`).
    static func superblock(mountinfo: String) -> Superblock? {
        var found: [Superblock] = []
        for line in mountinfo.split(separator: "\n") {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), fields.count > dash + 3, fields.count > 4,
                  fields[dash + 1] == "cgroup2"
            else { continue }
            let notParameters: Set<String> = ["rw", "ro", "seclabel"]
            let options = fields[dash + 3].split(separator: ",").map(String.init).filter { !notParameters.contains($0) }
            found.append(Superblock(mountPoint: String(fields[4]), options: options))
        }
        return found.first { $0.mountPoint == "/sys/fs/cgroup" } ?? found.first
    }
}
