import LinuxHost
import XCTest

final class HexTests: XCTestCase {
    func testEveryByteValueIsTwoLowercaseDigits() {
        let bytes = (0...255).map { UInt8($0) }
        let text = Hex.lowercase(bytes)
        XCTAssertEqual(text.utf8.count, 512)
        XCTAssertEqual(String(text.prefix(8)), "00010203")
        XCTAssertEqual(String(text.suffix(8)), "fcfdfeff")
        XCTAssertEqual(Hex.lowercase([0x9a, 0x0b]), "9a0b")
        XCTAssertEqual(Hex.lowercase([]), "")
    }
}
