import AWSProtocol
import Foundation

/// Connects the ECS operations to the AWS JSON 1.1 router: JSON in, `ECSAPI`, JSON out, with
/// ECS's exception names carried into AWS's error envelope.
public enum ECSServiceHandler {
    /// Registers every ECS operation of `api` on `router`, with ARNs in `accountID` and the
    /// region the caller signed for.
    public static func register(_ api: ECSAPI, accountID: String, on router: inout AWSJSONRouter) {
        router.register(.ecs, operations: ECSAPI.operations) { (operation, input, context) async throws(AWSServiceError) -> JSONValue in
            let ecsContext = ECSRequestContext(
                region: context.identity.region, accountID: accountID, now: Date(),
                callerARN: "arn:aws:iam::\(accountID):user/\(context.identity.profile)"
            )
            let output: Data
            do throws(ECSError) {
                output = try api.handle(operation: operation, body: Data(JSONWriter.bytes(input)), context: ecsContext)
            } catch {
                throw AWSServiceError(type: error.type, message: error.message, status: error.httpStatusCode)
            }
            do throws(JSONParseError) {
                return try JSONParser().parse(Array(output))
            } catch {
                throw AWSServiceError.serverFault("the ECS response could not be encoded: \(error)")
            }
        }
    }
}
