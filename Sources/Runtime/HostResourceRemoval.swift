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
        Self.removeStateDirectory(of: configuration, withTasks: false)
    }

    /// Removes the bridge, its NAT tables and the cgroup parent named by
    /// `configuration`, for a runtime that is not running here (e.g. one inside a stopped
    /// `wharf serve`). Best effort: what does not exist is skipped.
    /// The tasks' state directories go too (the caller removes the data directory, as it did
    /// when they lived there).
    public static func removeHostResources(of configuration: RuntimeConfiguration) {
        var configuration = configuration
        if !configuration.isStateDirectoryChosen, let recorded = StateDirectoryRecord.read(dataDirectory: configuration.dataDirectory) {
            configuration.stateDirectory = recorded
        }
        if let netlink = try? RouteNetlink() {
            _ = try? netlink.deleteLink(named: configuration.bridgeName)
        }
        _ = try? NetfilterTables().delete(tableNamed: configuration.natTableName)
        for owner in HostPortPool.holders(directory: configuration.hostPortPoolDirectory) where configuration.taskID(ofHostPortOwner: owner) != nil {
            try? HostPortPool.release(owner: owner, directory: configuration.hostPortPoolDirectory)
        }
        removeCgroupParent(of: configuration, hierarchy: try? CgroupHierarchy.detect())
        removeStateDirectory(of: configuration, withTasks: true)
    }

    /// Removes the state directory's own directories (`tasks` and `removed-tasks`, with what
    /// tasks left in them when `withTasks`, else only if empty), then the state directory if
    /// nothing else is in it, and for a default one (below `RuntimeConfiguration.stateRoot`)
    /// the parents it leaves empty. Nothing else there is touched: the state directory may be
    /// one a user chose, with other things in it.
    private static func removeStateDirectory(of configuration: RuntimeConfiguration, withTasks: Bool) {
        for directory in [configuration.tasksDirectory, configuration.removedTaskStatesDirectory] {
            if withTasks { try? FileSystem.removeTree(directory) } else { rmdir(directory) }
        }
        var directory = configuration.stateDirectory
        let root = RuntimeConfiguration.stateRoot
        guard rmdir(directory) == 0 else { return }
        while true {
            directory = (directory as NSString).deletingLastPathComponent
            guard directory.hasPrefix(root + "/"), rmdir(directory) == 0 else { return }
        }
    }

    private static func removeCgroupParent(of configuration: RuntimeConfiguration, hierarchy: CgroupHierarchy?) {
        if let hierarchy {
            try? Cgroup(hierarchy: hierarchy, path: configuration.cgroupParent).remove()
        }
    }
}
