import Foundation
import LinuxHost

extension ContainerRuntime {
    /// Stops every task of this runtime (waiting up to `timeout` seconds for each), forgets
    /// them, and removes the host resources its configuration names: the bridge, its NAT
    /// tables and the cgroup parent, and lets its standby supervisors go. What uninstalling (and every test's tear-down) needs;
    /// afterwards this runtime must not be used again.
    public func removeEverything(timeout: Double = 40) {
        supervisors?.drain()
        for task in tasks() where task.lastStatus != "STOPPED" {
            try? stop(task.id, reason: "runtime removed")
        }
        for task in tasks() {
            _ = try? wait(task.id, timeout: timeout)
            try? remove(task.id)
        }
        reconcile()
        finishRemovals()
        network.drainPool()
        try? network.deleteNATTable()
        try? network.deleteLink(named: configuration.bridgeName)
        Self.removeCgroupParent(of: configuration, hierarchy: hierarchy)
        Self.removeStateDirectory(of: configuration)
    }

    /// Removes the bridge, its NAT tables and the cgroup parent named by
    /// `configuration`, for a runtime that is not running here (e.g. one inside a stopped
    /// `wharf serve`). Best effort: what does not exist is skipped.
    public static func removeHostResources(of configuration: RuntimeConfiguration) {
        if let netlink = try? RouteNetlink() {
            _ = try? netlink.deleteLink(named: configuration.bridgeName)
        }
        _ = try? NetfilterTables().delete(tableNamed: configuration.natTableName)
        for owner in HostPortPool.holders(directory: configuration.hostPortPoolDirectory) where configuration.taskID(ofHostPortOwner: owner) != nil {
            try? HostPortPool.release(owner: owner, directory: configuration.hostPortPoolDirectory)
        }
        removeCgroupParent(of: configuration, hierarchy: try? CgroupHierarchy.detect())
        removeStateDirectory(of: configuration)
    }

    /// Removes the state directory (what tasks left there after their removal: nothing but
    /// empty directories normally) and, for a default one (below `RuntimeConfiguration.stateRoot`), the
    /// parents it leaves empty.
    private static func removeStateDirectory(of configuration: RuntimeConfiguration) {
        try? FileSystem.removeTree(configuration.stateDirectory)
        let root = RuntimeConfiguration.stateRoot
        var parent = (configuration.stateDirectory as NSString).deletingLastPathComponent
        while parent.hasPrefix(root + "/"), rmdir(parent) == 0 {
            parent = (parent as NSString).deletingLastPathComponent
        }
    }

    private static func removeCgroupParent(of configuration: RuntimeConfiguration, hierarchy: CgroupHierarchy?) {
        if let hierarchy {
            try? Cgroup(hierarchy: hierarchy, path: configuration.cgroupParent).remove()
        }
    }
}
