import AWSProtocol

/// `maxResults` bounds of ECS's paginated operations (ECS API Reference, each operation's
/// `maxResults`): "This value can be between 1 and 100. If this parameter isn't used, then
/// [the operation] returns up to 100 results" — except ListServices, whose default page is 10.
public enum PaginationLimits {
    /// One operation's bounds.
    public struct Limit: Sendable, Equatable {
        /// Page size when `maxResults` is absent.
        public var defaultPageSize: Int
        /// Largest `maxResults` accepted.
        public var maximum: Int
    }

    /// The smallest `maxResults` any operation accepts.
    public static let minimum = 1

    public static let listClusters = Limit(defaultPageSize: 100, maximum: 100)
    public static let listContainerInstances = Limit(defaultPageSize: 100, maximum: 100)
    public static let listTaskDefinitions = Limit(defaultPageSize: 100, maximum: 100)
    public static let listTaskDefinitionFamilies = Limit(defaultPageSize: 100, maximum: 100)
    public static let listAttributes = Limit(defaultPageSize: 100, maximum: 100)
    public static let listTasks = Limit(defaultPageSize: 100, maximum: 100)
    public static let listServices = Limit(defaultPageSize: 10, maximum: 100)
    /// ListServiceDeployments: "between 1 and 100", 20 when absent.
    public static let listServiceDeployments = Limit(defaultPageSize: 20, maximum: 100)
    /// ListAccountSettings: "This value can be between 1 and 10", 10 when absent.
    public static let listAccountSettings = Limit(defaultPageSize: 10, maximum: 10)
    /// DescribeCapacityProviders: "This value can be between 1 and 10", 10 when absent.
    public static let describeCapacityProviders = Limit(defaultPageSize: 10, maximum: 10)

    /// The page size for `maxResults`, or InvalidParameterException when it is out of bounds.
    public static func pageSize(_ maxResults: Int?, _ limit: Limit) throws(ECSError) -> Int {
        guard let maxResults else { return limit.defaultPageSize }
        guard (minimum...limit.maximum).contains(maxResults) else {
            throw ECSError(.invalidParameterException,
                           "maxResults must be between \(minimum) and \(limit.maximum); \(maxResults) was given.")
        }
        return maxResults
    }
}

extension PageRequest {
    /// An ECS list operation's page: `maxResults` within `limit`, and a `nextToken` that
    /// ``AWSProtocol/PaginationToken`` issued for `operation`; either wrong is
    /// InvalidParameterException.
    init(operation: String, maxResults: Int?, nextToken: String?, limit: PaginationLimits.Limit,
         keyCount: Int) throws(ECSError) {
        let size = try PaginationLimits.pageSize(maxResults, limit)
        do {
            try self.init(operation: operation, size: size, nextToken: nextToken, keyCount: keyCount)
        } catch {
            throw ECSError(.invalidParameterException, error.description)
        }
    }
}
