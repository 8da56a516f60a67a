import Foundation

/// Who is asking, where, and when: what an ECS operation needs besides its body.
///
/// `region` and `accountID` make the ARNs of everything created; `now` is the clock
/// (injected, so tests are deterministic); `callerARN` is the authenticated identity, reported
/// as a task definition's `registeredBy`.
public struct ECSRequestContext: Sendable {
    public var region: String
    public var accountID: String
    public var now: Date
    /// E.g. `arn:aws:iam::123456789012:root` or `arn:aws:iam::123456789012:user/alice`.
    public var callerARN: String?
    public var partition: String

    public init(region: String, accountID: String, now: Date = Date(), callerARN: String? = nil,
                partition: String = ECSARN.defaultPartition) {
        self.region = region
        self.accountID = accountID
        self.now = now
        self.callerARN = callerARN
        self.partition = partition
    }

    /// The ARN of `resource` in this region and account.
    public func arn(_ resource: ECSARN.Resource) -> ECSARN {
        ECSARN(partition: partition, region: region, accountID: accountID, resource: resource)
    }

    /// Whether `arn` names something in this partition, region and account (anything else is,
    /// for this service, a resource that does not exist).
    public func owns(_ arn: ECSARN) -> Bool {
        arn.partition == partition && arn.region == region && arn.accountID == accountID
    }

    /// The account's root user, `arn:PARTITION:iam::ACCOUNT:root` (whose account settings are
    /// the account's defaults).
    public var rootARN: String { "arn:\(partition):iam::\(accountID):root" }
    /// Whose account settings apply to this request: the caller, or the account's root when the
    /// caller is not known.
    public var principalARN: String { callerARN ?? rootARN }

    /// `now` in seconds since the epoch, to the millisecond (the precision ECS reports).
    public var timestamp: Double {
        (now.timeIntervalSince1970 * 1000).rounded() / 1000
    }
}
