/// One worker's routing state for one target group: round-robin weights, requests in flight
/// per target, the random generator and the worker's own passive-health (outlier) state.
///
/// Rules of `pick` (ALB's, with Envoy's passive health on top):
/// - targets that are healthy (or `unavailable`, when checks are disabled), not ejected and
///   of non-zero weight get requests; a target in slow start gets a linearly growing share;
/// - draining targets never get new requests;
/// - when no target qualifies, the group fails open: every registered, non-draining target of
///   non-zero weight is a candidate, whatever its health or ejection ("If a target group
///   contains only unhealthy registered targets, the load balancer routes requests to all
///   those targets, regardless of their health status.").
///
/// `pick` does not allocate: it walks the snapshot's targets and updates this picker's arrays
/// in place. State is carried to a new snapshot by `TargetID` (`init(group:carryingOver:)`).
public struct TargetPicker: Sendable {
    /// Everything a pick reads or writes about one target, in one trivially copyable value so
    /// the per-request loops touch no reference counts. Parallel to `group.targets`.
    struct Slot: Sendable, Equatable {
        let id: TargetID
        let weight: Int
        let receivesTraffic: Bool
        let receivesFailOpenTraffic: Bool
        /// When slow start began; `-infinity` when the target is not ramping.
        let slowStartSince: Double
        var outstanding = 0
        /// Smooth weighted round robin's running weight.
        var currentWeight = 0
        var outlier = OutlierDetector()

        init(_ target: RouteTarget) {
            id = target.id
            weight = target.weight
            receivesTraffic = target.receivesTraffic
            receivesFailOpenTraffic = target.receivesFailOpenTraffic
            slowStartSince = target.slowStartSince ?? -.infinity
        }

        /// Copies the mutable state (in flight, round-robin position, ejection) of `previous`.
        mutating func carryOver(_ previous: Slot) {
            outstanding = previous.outstanding
            currentWeight = previous.currentWeight
            outlier = previous.outlier
        }
    }

    /// The target a retry must avoid, if any, in a form the loops compare cheaply.
    struct Exclusion {
        let id: UInt64
        let active: Bool

        init(_ target: TargetID?) {
            id = target?.rawValue ?? 0
            active = target != nil
        }

        @inline(__always)
        func matches(_ target: TargetID) -> Bool { active && target.rawValue == id }
    }

    /// The snapshot's view of the group this picker routes for.
    public private(set) var group: RouteGroup
    private var slots: [Slot]
    private let algorithm: TargetGroupConfiguration.Algorithm
    private let slowStartSeconds: Double
    private let outlierDetection: OutlierDetectionConfiguration
    /// Where least-outstanding-requests starts looking, so ties rotate.
    private var cursor = 0
    private var random: FastRandom

    /// A fresh picker for `group`; `seed` drives `weighted_random`.
    public init(group: RouteGroup, seed: UInt64) {
        self.group = group
        self.slots = group.targets.map(Slot.init)
        self.algorithm = group.algorithm
        self.slowStartSeconds = group.slowStartSeconds
        self.outlierDetection = group.outlierDetection
        self.random = FastRandom(seed: seed)
    }

    /// A picker for a new snapshot of a group, keeping the state of targets that are still
    /// there (matched by `TargetID`): requests in flight, round-robin position, ejections.
    public init(group: RouteGroup, carryingOver previous: TargetPicker) {
        self.init(group: group, seed: 0)
        self.random = previous.random
        self.cursor = previous.cursor
        for index in slots.indices {
            if let old = previous.group.index(of: slots[index].id) { slots[index].carryOver(previous.slots[old]) }
        }
    }

    /// Chooses a target for a request; returns its index in `group.targets`, or nil when the
    /// group has no candidate. `excluding` skips one target (a retry after it failed to connect);
    /// it does not cause a fail-open by itself.
    public mutating func pick(now: Double, excluding: TargetID? = nil) -> Int? {
        guard !slots.isEmpty else { return nil }
        let excluded = Exclusion(excluding)
        let slowStartSeconds = self.slowStartSeconds
        switch algorithm {
        case .roundRobin:
            return slots.withUnsafeMutableBufferPointer { slots in
                Self.pickRoundRobin(slots, now: now, slowStartSeconds: slowStartSeconds, excluded: excluded)
            }
        case .leastOutstandingRequests:
            let cursor = self.cursor
            let picked = slots.withUnsafeMutableBufferPointer { slots in
                Self.pickLeastOutstanding(
                    slots, now: now, slowStartSeconds: slowStartSeconds, excluded: excluded, cursor: cursor)
            }
            if let picked { self.cursor = picked + 1 == slots.count ? 0 : picked + 1 }
            return picked
        case .weightedRandom:
            var random = self.random
            let picked = slots.withUnsafeMutableBufferPointer { slots in
                Self.pickWeightedRandom(
                    slots, now: now, slowStartSeconds: slowStartSeconds, excluded: excluded, random: &random)
            }
            self.random = random
            return picked
        }
    }

    /// A request was sent to the target at `index`.
    public mutating func requestStarted(_ index: Int) {
        guard slots.indices.contains(index) else { return }
        slots[index].outstanding += 1
    }

    /// A request to the target at `index` ended with `outcome`. Feeds outlier detection, which
    /// may eject the target (subject to the group's `maxEjectionPercent`). Returns the length of
    /// the ejection in seconds when this outcome ejected the target.
    @discardableResult
    public mutating func requestFinished(_ index: Int, outcome: RequestOutcome, now: Double) -> Double? {
        guard slots.indices.contains(index) else { return nil }
        if slots[index].outstanding > 0 { slots[index].outstanding -= 1 }
        // Requests that were in flight when the target was ejected say nothing new.
        guard !slots[index].outlier.isEjected(now: now) else { return nil }
        guard slots[index].outlier.record(outcome, configuration: outlierDetection), ejectionAllowed(now: now) else {
            return nil
        }
        return slots[index].outlier.eject(now: now, configuration: outlierDetection)
    }

    /// The same, for a request whose target is known by id (its index may have changed since it
    /// started, if a new snapshot arrived). Unknown ids (target removed) are ignored.
    @discardableResult
    public mutating func requestFinished(target id: TargetID, outcome: RequestOutcome, now: Double) -> Double? {
        guard let index = group.index(of: id) else { return nil }
        return requestFinished(index, outcome: outcome, now: now)
    }

    /// Requests in flight to the target at `index`.
    public func outstanding(_ index: Int) -> Int {
        slots.indices.contains(index) ? slots[index].outstanding : 0
    }

    /// Whether this worker has ejected the target at `index` at `now`.
    public func isEjected(_ index: Int, now: Double) -> Bool {
        slots.indices.contains(index) && slots[index].outlier.isEjected(now: now)
    }

    /// This worker's passive-health state of the target at `index`.
    public func outlierState(_ index: Int) -> OutlierDetector? {
        slots.indices.contains(index) ? slots[index].outlier : nil
    }

    /// Envoy's `max_ejection_percent`, with at least one ejection allowed in a group of more
    /// than one target.
    private func ejectionAllowed(now: Double) -> Bool {
        let count = slots.count
        var ejected = 0
        for slot in slots where slot.outlier.isEjected(now: now) { ejected += 1 }
        var allowed = count * outlierDetection.maxEjectionPercent / 100
        if count > 1 { allowed = max(allowed, 1) }
        return ejected < allowed
    }

    // MARK: Candidates

    /// Whether any target gets traffic in normal operation (else the group fails open).
    @inline(__always)
    private static func hasRoutableTarget(_ slots: UnsafeMutableBufferPointer<Slot>, now: Double) -> Bool {
        for index in slots.indices {
            let slot = slots[index]
            if slot.receivesTraffic && slot.weight > 0 && !slot.outlier.isEjected(now: now) { return true }
        }
        return false
    }

    /// The target's weight (in `SlowStartRamp.weightScale` units) if it is a candidate for this
    /// pick, else 0.
    @inline(__always)
    private static func candidateWeight(
        _ slot: Slot, now: Double, slowStartSeconds: Double, failOpen: Bool, excluded: Exclusion
    ) -> Int {
        if excluded.matches(slot.id) { return 0 }
        if failOpen {
            return slot.receivesFailOpenTraffic ? slot.weight * SlowStartRamp.weightScale : 0
        }
        guard slot.receivesTraffic, !slot.outlier.isEjected(now: now) else { return 0 }
        if slot.slowStartSince == -.infinity { return slot.weight * SlowStartRamp.weightScale }
        return SlowStartRamp.effectiveWeight(
            weight: slot.weight, slowStartSince: slot.slowStartSince, durationSeconds: slowStartSeconds, now: now)
    }

    // MARK: Algorithms

    /// Smooth weighted round robin (as nginx): every candidate's running weight grows by its
    /// weight, the largest wins and gives back the total. Equal weights give a strict rotation;
    /// unequal (or ramping) weights interleave in proportion.
    private static func pickRoundRobin(
        _ slots: UnsafeMutableBufferPointer<Slot>, now: Double, slowStartSeconds: Double, excluded: Exclusion
    ) -> Int? {
        let failOpen = !hasRoutableTarget(slots, now: now)
        var total = 0
        var best = -1
        var bestWeight = Int.min
        for index in slots.indices {
            let weight = candidateWeight(
                slots[index], now: now, slowStartSeconds: slowStartSeconds, failOpen: failOpen, excluded: excluded)
            guard weight > 0 else { continue }
            let current = slots[index].currentWeight + weight
            slots[index].currentWeight = current
            total += weight
            if current > bestWeight {
                best = index
                bestWeight = current
            }
        }
        guard best >= 0 else { return nil }
        slots[best].currentWeight -= total
        return best
    }

    /// The candidate with the fewest requests in flight relative to its weight, i.e. the least
    /// `(outstanding + 1) / weight`; ties go to the first from a rotating cursor, so idle
    /// targets share the load evenly.
    private static func pickLeastOutstanding(
        _ slots: UnsafeMutableBufferPointer<Slot>, now: Double, slowStartSeconds: Double, excluded: Exclusion,
        cursor: Int
    ) -> Int? {
        let failOpen = !hasRoutableTarget(slots, now: now)
        let count = slots.count
        var best = -1
        var bestLoad = 0
        var bestWeight = 0
        var index = cursor < count ? cursor : 0
        for _ in 0..<count {
            let slot = slots[index]
            let weight = candidateWeight(
                slot, now: now, slowStartSeconds: slowStartSeconds, failOpen: failOpen, excluded: excluded)
            if weight > 0 {
                let load = slot.outstanding + 1
                if best < 0 || load * bestWeight < bestLoad * weight {
                    best = index
                    bestLoad = load
                    bestWeight = weight
                }
            }
            index += 1
            if index == count { index = 0 }
        }
        return best >= 0 ? best : nil
    }

    /// A candidate drawn with probability proportional to its weight.
    private static func pickWeightedRandom(
        _ slots: UnsafeMutableBufferPointer<Slot>, now: Double, slowStartSeconds: Double, excluded: Exclusion,
        random: inout FastRandom
    ) -> Int? {
        let failOpen = !hasRoutableTarget(slots, now: now)
        var total = 0
        for index in slots.indices {
            total += candidateWeight(
                slots[index], now: now, slowStartSeconds: slowStartSeconds, failOpen: failOpen, excluded: excluded)
        }
        guard total > 0 else { return nil }
        var remaining = Int(random.next(upperBound: UInt64(total)))
        for index in slots.indices {
            let weight = candidateWeight(
                slots[index], now: now, slowStartSeconds: slowStartSeconds, failOpen: failOpen, excluded: excluded)
            if remaining < weight { return index }
            remaining -= weight
        }
        return nil
    }
}
