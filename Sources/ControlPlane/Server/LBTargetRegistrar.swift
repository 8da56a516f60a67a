import Foundation
import LB
import Synchronization

/// Registers tasks in the built-in load balancer's target groups (ECS's ACTIVATING phase) and
/// drains them (DEACTIVATING), addressing groups by ELBv2-style ARN
/// (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID`) or by name.
public final class LBTargetRegistrar: LoadBalancerRegistrar, TargetGroupCatalog {
    private let balancer: LoadBalancer
    /// Registrations made by this daemon: (task, container, group) -> target id.
    private let registrations = Mutex<[String: TargetID]>([:])
    /// Longest wait for a drain beyond the end the registry gives it.
    private let drainSlack = 5.0

    public init(balancer: LoadBalancer) {
        self.balancer = balancer
    }

    /// The target group name an ARN (or a bare name) designates.
    public static func groupName(_ reference: String) -> String {
        guard reference.hasPrefix("arn:") else { return reference }
        let resource = reference.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? ""
        let parts = resource.split(separator: "/")
        return parts.count >= 2 && parts[0] == "targetgroup" ? String(parts[1]) : String(resource)
    }

    /// The ELBv2-style ARN of a group: the id part is derived from the name, so it is the same
    /// across restarts.
    public static func arn(group: String, region: String, accountID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in group.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let id = String(hash, radix: 16).leftPadded(to: 16)
        return "arn:aws:elasticloadbalancing:\(region):\(accountID):targetgroup/\(group)/\(id)"
    }

    private func key(_ target: LoadBalancerTarget) -> String {
        "\(target.taskArn)|\(target.containerName)|\(target.targetGroup)"
    }

    public func register(_ target: LoadBalancerTarget) async throws(LoadBalancerRegistrationError) {
        let group = Self.groupName(target.targetGroup)
        let id: TargetID
        do {
            id = try balancer.registry.register(group: group, address: target.address, port: target.port, now: balancer.now())
        } catch {
            if case .targetGroupNotFound = error { throw .targetGroupNotFound(target.targetGroup) }
            throw .targetRefused(targetGroup: target.targetGroup, reason: error.description)
        }
        registrations.withLock { $0[key(target)] = id }
    }

    public func deregister(_ target: LoadBalancerTarget) async throws(LoadBalancerRegistrationError) {
        let group = Self.groupName(target.targetGroup)
        guard let id = registrations.withLock({ $0.removeValue(forKey: key(target)) }) else { return }
        do {
            try balancer.registry.deregister(group: group, id: id, now: balancer.now())
        } catch {
            return  // already gone (group removed by a reload)
        }
        // Wait for the drain: in-flight requests finish, then the registry drops the target at
        // the end of its deregistration delay (which the registry reports as `drainingUntil`).
        var deadline = balancer.now() + drainSlack
        while true {
            guard let targets = try? balancer.registry.describeTargetHealth(group: group),
                  let draining = targets.first(where: { $0.id == id }) else { return }
            if let until = draining.drainingUntil { deadline = until + drainSlack }
            if balancer.now() >= deadline { return }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    // MARK: TargetGroupCatalog

    public func targetGroupExists(_ reference: String) -> Bool {
        (try? balancer.registry.describeTargetHealth(group: Self.groupName(reference))) != nil
    }

    public func health(of target: LoadBalancerTarget) -> LoadBalancerTargetHealth? {
        guard let id = registrations.withLock({ $0[key(target)] }),
              let targets = try? balancer.registry.describeTargetHealth(group: Self.groupName(target.targetGroup)),
              let found = targets.first(where: { $0.id == id }) else { return nil }
        return LoadBalancerTargetHealth(state: found.state.rawValue, reason: found.reason?.rawValue)
    }
}

private extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
