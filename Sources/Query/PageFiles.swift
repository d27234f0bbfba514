import HTTPTypes
import Hummingbird
import NIOCore

/// The built-in page (Page/ in the repository, embedded by scripts/embed-page.sh), served by `tracejoin ui`.
///
/// The page only reads the Jaeger API of the same server. Its policy allows nothing else: no inline script, no
/// other origin, no frames, so a log line that holds markup stays text even if the page had a bug that let it
/// into the document as HTML.
enum PageFiles {
    static let policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The file of Page/ named `name`, with its content type, or 404.
    static func response(for name: String) -> Response {
        guard let file = EmbeddedPage.files.first(where: { $0.path == "Page/" + name }) else {
            return QueryResponder.refusal(QueryRequestError(status: 404, message: "not found"))
        }
        let type =
            if name.hasSuffix(".html") { "text/html; charset=utf-8" }
            else if name.hasSuffix(".js") { "text/javascript; charset=utf-8" }
            else if name.hasSuffix(".svg") { "image/svg+xml" }
            else { "text/css; charset=utf-8" }
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache"]
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: file.text)))
    }
}
