import Query
import Testing

@Suite struct BearerTokenTests {
    @Test("the token is carried by `Bearer <token>`, the scheme in any case")
    func carried() throws {
        let token = try #require(BearerToken("s3cr3t-T0ken"))
        #expect(token.isCarried(by: "Bearer s3cr3t-T0ken"))
        #expect(token.isCarried(by: "bearer s3cr3t-T0ken"))
        #expect(token.isCarried(by: "BEARER  s3cr3t-T0ken"))
    }

    @Test(
        "anything else is not the token",
        arguments: [nil, "", "Bearer", "Bearer ", "Bearer s3cr3t-T0ke", "Bearer s3cr3t-T0ken2", "Basic s3cr3t-T0ken",
            "s3cr3t-T0ken", "Bearer S3CR3T-t0KEN"])
    func notCarried(_ header: String?) throws {
        let token = try #require(BearerToken("s3cr3t-T0ken"))
        #expect(!token.isCarried(by: header))
    }

    @Test(
        "an empty token, or one with spaces or control characters, is refused",
        arguments: ["", "a b", "a\tb", "a\u{7F}"])
    func unusable(_ text: String) {
        #expect(BearerToken(text) == nil)
    }
}
