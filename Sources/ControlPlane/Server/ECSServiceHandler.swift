import AWSProtocol
import Foundation

/// Connects the ECS operations to the AWS JSON 1.1 router: the request body to `ECSAPI`, its output back, with
/// ECS's exception names carried into AWS's error envelope.
///
/// `ECSAPI` blocks on the store, so requests run on threads of their own (``handlerThreads``),
/// never on Swift's cooperative pool: a pool thread blocked waiting for one of the store's
/// reader connections could be the very thread an async store read needs in order to finish
/// and hand its connection back, and with every pool thread (two on a two-core host) blocked
/// that way the daemon stopped answering.
public enum ECSServiceHandler {
    /// Requests of the ECS API handled at once; more wait their turn without holding a thread.
    /// Below the store's reader connections (GRDB's default is 5), so requests alone never
    /// take every reader.
    public static let handlerThreads = 4

    /// Registers every ECS operation of `api` on `router`, with ARNs in `accountID` and the
    /// region the caller signed for.
    public static func register(_ api: ECSAPI, accountID: String, on router: inout AWSJSONRouter) {
        let runner = BlockingRunner(label: "wharf.ecs-api", width: handlerThreads)
        // ECSAPI decodes its input itself (with ECS's own errors for malformed members), so the
        // body goes to it as it came and its output goes back as it is: no second JSON pass.
        router.register(.ecs, operations: ECSAPI.operations, documentHandler: { (operation, body, context) async throws(AWSServiceError) -> [UInt8] in
            let ecsContext = ECSRequestContext(
                region: context.identity.region, accountID: accountID, now: Date(),
                callerARN: "arn:aws:iam::\(accountID):user/\(context.identity.profile)"
            )
            do throws(ECSError) {
                return try await runner.run { () -> Result<[UInt8], ECSError> in
                    Result { () throws(ECSError) in Array(try api.handle(operation: operation, body: Data(body), context: ecsContext)) }
                }
            } catch {
                throw AWSServiceError(type: error.type, message: error.message, status: error.httpStatusCode)
            }
        })
    }
}
