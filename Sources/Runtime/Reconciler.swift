import Foundation
import LinuxHost
import ShimProtocol

extension ContainerRuntime {
    /// Finishes what dead supervisors left behind and removes host resources that belong to no
    /// live task. Run at start-up and whenever a supervisor is found dead.
    ///
    /// A task is live while its supervisor runs; a task whose supervisor is gone without having
    /// recorded the task's end is torn down here exactly as the supervisor would have done it,
    /// then recorded as STOPPED. Resources are matched by the names they were created with.
    public func reconcile() {
        var live: Set<String> = []
        let scanned = taskIDs()
        for id in scanned {
            if Self.recordsStop(readEvents(id)) { continue }
            if let supervisor = supervisorIdentity(id), supervisor.isAlive {
                live.insert(id)
                continue
            }
            // No supervisor yet: a launch may still be in progress in another process; give it time.
            if supervisorIdentity(id) == nil, let record = readRecord(id),
                Clock.wallNanoseconds() - record.launchStartedAt < 60_000_000_000
            {
                live.insert(id)
                continue
            }
            reconcile(taskID: id, reason: "Task supervisor exited unexpectedly")
        }
        sweepOrphans(live: live, scanned: Set(scanned))
    }

    /// Whether `events` end the task: once `taskStopped` is recorded, the task holds nothing on
    /// the host any more (the teardown ran first).
    static func recordsStop(_ events: [TaskEvent]) -> Bool {
        events.contains { if case .taskStopped = $0 { return true } else { return false } }
    }

    /// Tears down one task whose supervisor is gone and records it as stopped.
    func reconcile(taskID id: String, reason: String) {
        let layout = layout(of: id)
        let events = readEvents(id)
        if Self.recordsStop(events) { return }
        if let supervisor = supervisorIdentity(id), supervisor.isAlive { return }
        let plan = (try? FileSystem.readIfPresent(layout.plan)).flatMap { $0 }.flatMap { try? SupervisorPlan(decoding: $0) }
        if let plan {
            // Containers outlived their supervisor: kill them through their cgroups first.
            for container in plan.containers {
                Cgroup(hierarchy: hierarchy, path: plan.cgroupPath(ofContainer: container.name)).signalAll(SIGKILL)
            }
            for failure in TaskTeardown(plan: plan, networkNamespaceFD: nil).run() {
                logger.warning("cleanup step failed", metadata: ["task": "\(id)", "error": "\(failure)"])
            }
        } else {
            try? Cgroup(hierarchy: hierarchy, path: configuration.cgroupParent + "/" + id).remove()
        }
        var appended: [TaskEvent] = []
        let now = Clock.wallNanoseconds()
        if !events.contains(where: { if case .taskStopping = $0 { return true } else { return false } }) {
            // A task whose containers ran lost them (ECS reports that as an essential container
            // exiting); one that never got a container running failed to start.
            let ran = events.contains { if case .containerRunning = $0 { return true } else { return false } }
            appended.append(.taskStopping(reason: reason, code: ran ? "EssentialContainerExited" : "TaskFailedToStart", at: now))
        }
        if let record = readRecord(id) {
            for container in record.spec.containers {
                let stopped = events.contains {
                    if case .containerStopped(let name, _, _, _) = $0 { return name == container.name }
                    return false
                }
                if !stopped {
                    appended.append(.containerStopped(name: container.name, exitCode: nil, reason: reason, at: now))
                }
            }
        }
        appended.append(.taskStopped(at: now))
        let text = appended.map { $0.record.encoded + "\n" }.joined()
        do {
            try FileSystem.append(layout.events, text)
        } catch {
            logger.error("could not record the end of a task", metadata: ["task": "\(id)", "error": "\(error)"])
        }
    }

    /// Removes veths, cgroups, addresses, and published ports' tables and ports named after
    /// tasks that are not live. (Network namespaces need no sweep: a dead task's went with the
    /// last process and descriptor.)
    ///
    /// `scanned` are the tasks `live` was decided from. The resources are listed first and the
    /// task directories again after: a launch in another process that began since has its
    /// directory by then (made before anything on the host), so what it created is never
    /// taken for an orphan.
    private func sweepOrphans(live scannedLive: Set<String>, scanned: Set<String>) {
        let resources = currentTaskHostResources()
        let live = scannedLive.union(Set(taskIDs()).subtracting(scanned))
        let liveVeths = Set(live.map { network.vethName(for: $0) })
        var sweptCgroups: Set<String> = []
        // Published ports first: a task's chain sends its ports to its address, which must
        // not be handed out (nor the ports) while it still does. A task whose ports cannot be
        // unpublished keeps its address and ports taken, as the teardown does.
        var stuck: Set<String> = []
        // Without the lists of chains and old tables, no task's ports are known unpublished:
        // addresses and ports wait for the next sweep.
        var publicationsKnown = true
        var chains: [String] = []
        do throws(SystemError) {
            // Tables of the first bridge-mode release (one per task, with its own hooks).
            for (id, table) in try network.legacyTaskTables() where !live.contains(id) {
                do {
                    try network.deleteTable(named: table)
                } catch {
                    logger.error("could not remove an orphaned NAT table", metadata: ["table": "\(table)", "error": "\(error)"])
                    stuck.insert(id)
                }
            }
            chains = try network.natTaskChains()
        } catch where error.errno == EPROTONOSUPPORT {
            // A kernel without nf_tables: no task can have published a port.
        } catch {
            logger.error("could not list the NAT chains and tables; addresses and host ports are kept", metadata: ["error": "\(error)"])
            publicationsKnown = false
        }
        for chain in chains {
            guard let id = configuration.taskID(ofNATChain: chain), !live.contains(id) else { continue }
            logger.info("unpublishing the ports of an orphaned task", metadata: ["chain": "\(chain)"])
            let owner = configuration.hostPortOwner(forTask: id)
            do {
                let ports = try HostPortPool.ports(of: owner, directory: configuration.hostPortPoolDirectory)
                try network.unpublish(PublishedPorts(
                    table: configuration.natTableName, chain: chain, ports: ports,
                    poolDirectory: configuration.hostPortPoolDirectory, owner: owner))
            } catch {
                logger.error("could not unpublish the ports of an orphaned task", metadata: ["chain": "\(chain)", "error": "\(error)"])
                stuck.insert(id)
            }
        }
        for resource in resources {
            switch resource.kind {
            case .veth where !liveVeths.contains(resource.name):
                logger.info("removing orphaned veth", metadata: ["link": "\(resource.name)"])
                try? network.deleteLink(named: resource.name)
            case .address where resource.name.hasPrefix(Self.addressOwnerPrefix):
                let owner = String(resource.name.dropFirst(Self.addressOwnerPrefix.count))
                if publicationsKnown, !live.contains(owner), !stuck.contains(owner) {
                    try? IPAddressPool.release(owner: owner, directory: configuration.addressPoolDirectory)
                }
            case .cgroup:
                // The directory is named after its task. One removal per task: on v1 it covers
                // every controller's directory.
                let id = String(resource.name.split(separator: "/").last ?? "")
                guard !live.contains(id), sweptCgroups.insert(id).inserted else { continue }
                let children = ((try? FileSystem.listDirectory(resource.name)) ?? []).filter {
                    Self.isDirectory(resource.name + "/" + $0)
                }
                try? Cgroup(hierarchy: hierarchy, path: configuration.cgroupParent + "/" + id).remove(children: children)
            case .hostPort:
                guard publicationsKnown, let id = configuration.taskID(ofHostPortOwner: resource.name), !live.contains(id),
                      !stuck.contains(id)
                else { continue }
                try? HostPortPool.release(owner: resource.name, directory: configuration.hostPortPoolDirectory)
            case .veth, .address, .mount, .natChain:
                break
            }
        }
    }
}
