import Foundation
import LinuxHost

/// A host resource named after a task of one runtime: what a leak check looks at and what the
/// orphan sweep removes.
public struct TaskHostResource: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A host-side veth carrying the runtime's veth prefix; `name` is the link name.
        case veth
        /// A mount below the data directory; `name` is the mountinfo line.
        case mount
        /// A task cgroup below the cgroup parent; `name` is its directory (one per v1 controller mount).
        case cgroup
        /// An address pool entry: `owner.TASKID` or an allocated address.
        case address
        /// A bridge-mode task's chain in the bridge's nf_tables table; `name` is the chain's.
        case natChain
        /// Host ports taken in the host's pool; `name` is their owner, the task's NAT table name.
        case hostPort
    }

    public var kind: Kind
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// `KIND NAME`, e.g. `veth wh0123…` or `address owner.0123…`.
    public var description: String { kind.rawValue + " " + name }
}

extension ContainerRuntime {
    /// Every host resource named after a task of this runtime, live or not: veths, mounts, task
    /// cgroups, address pool entries, and published ports' chains and pool entries. (A task's network namespace shows as its veth: the
    /// veth lives exactly as long as the namespace holding its peer.) Once every task is removed,
    /// anything listed has leaked. Unreadable places contribute nothing.
    ///
    /// Veths the kernel is still destroying are waited for (see `settledTaskVeths`), so a leak
    /// check does not report them.
    public func taskHostResources() -> [TaskHostResource] {
        taskHostResources(veths: settledTaskVeths())
    }

    /// As `taskHostResources()`, but with the task veths as they are now, dying ones included:
    /// what the orphan sweep needs, which deletes every veth of a task that is not live anyway
    /// and so must not wait (it runs in every runtime's start-up).
    func currentTaskHostResources() -> [TaskHostResource] {
        taskHostResources(veths: ((try? network.taskVeths())?.veths ?? []).map(\.name))
    }

    private func taskHostResources(veths: [String]) -> [TaskHostResource] {
        var found: [TaskHostResource] = veths.map { TaskHostResource(kind: .veth, name: $0) }
        if let mounts = try? FileSystem.read("/proc/self/mountinfo") {
            found += mounts.split(separator: "\n").filter {
                $0.contains(configuration.dataDirectory) || $0.contains(configuration.stateDirectory)
            }.map { TaskHostResource(kind: .mount, name: String($0)) }
        }
        for parent in hierarchy.directories(of: configuration.cgroupParent) {
            // Anything there not named like a task is not a task's.
            for name in TaskID.entries(in: parent) {
                let directory = parent + "/" + name
                if Self.isDirectory(directory) { found.append(TaskHostResource(kind: .cgroup, name: directory)) }
            }
        }
        found += ((try? FileSystem.listDirectory(configuration.addressPoolDirectory)) ?? []).filter {
            $0.hasPrefix(Self.addressOwnerPrefix) || IPv4Address($0) != nil
        }.map { TaskHostResource(kind: .address, name: $0) }
        found += ((try? network.natTaskChains()) ?? []).map { TaskHostResource(kind: .natChain, name: $0) }
        found += HostPortPool.holders(directory: configuration.hostPortPoolDirectory).filter {
            configuration.taskID(ofHostPortOwner: $0) != nil
        }.sorted().map {
            TaskHostResource(kind: .hostPort, name: $0)
        }
        return found
    }

    /// How long the listing gives the kernel to destroy the veths of namespaces already unpinned.
    static let vethReleaseTimeoutNanoseconds: Int64 = 5_000_000_000
    /// Pause between two looks at the host's links while such veths remain.
    static let vethReleasePollMicroseconds: UInt32 = 5_000

    /// The task veths on the host once those being released have gone.
    ///
    /// A stopped task's host veth is destroyed by the kernel together with the task's network
    /// namespace, asynchronously, a little after the task is STOPPED (see `TaskTeardown`). A
    /// veth on this runtime's bridge whose task is recorded STOPPED (or gone) is in that state:
    /// it is waited for (up to `vethReleaseTimeoutNanoseconds`) rather than reported at once. One still there after that is reported: something else keeps its
    /// namespace alive, and it has leaked.
    func settledTaskVeths() -> [String] {
        let deadline = Clock.monotonicNanoseconds() + Self.vethReleaseTimeoutNanoseconds
        while true {
            guard let (veths, bridgeIndex) = try? network.taskVeths() else { return [] }
            let pinned = Set(taskIDs().filter { !Self.recordsStop(readEvents($0)) }.map(network.vethName(for:)))
            let releasing = veths.contains { $0.masterIndex != nil && $0.masterIndex == bridgeIndex && !pinned.contains($0.name) }
            if !releasing || Clock.monotonicNanoseconds() >= deadline { return veths.map(\.name) }
            usleep(Self.vethReleasePollMicroseconds)
        }
    }

    /// The pool's per-owner file, `owner.TASKID` (see `IPAddressPool`).
    static let addressOwnerPrefix = "owner."

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
