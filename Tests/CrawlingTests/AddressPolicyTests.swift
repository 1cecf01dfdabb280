import Crawling
import Foundation
import Logging
import SpeakerCore
import Testing
import TestSupport
import Vapor

/// The crawler's guard against server-side request forgery: loopback, private, link-local
/// and metadata addresses are refused after name resolution, on the first request, on
/// every redirect and on every browser navigation, unless explicitly allowed.
@Suite("Address policy (SSRF guard)", .serialized)
struct AddressPolicyTests {
    /// The port the fixture server answered on, from the request's Host header.
    static func port(_ request: Request) -> String {
        request.headers.first(name: .host)?.split(separator: ":").last.map(String.init) ?? "80"
    }

    @Test func classifiesAddresses() {
        for address in ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc12::3",
                        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "ff02::1", "2001:db8::1", "not an address"] {
            #expect(AddressPolicy.isNonPublic(address), "\(address) is not public")
        }
        for address in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "2002:0808:0808::"] {
            #expect(!AddressPolicy.isNonPublic(address), "\(address) is public")
        }
    }

    @Test func refusesLoopbackUnlessAllowedAndOnEveryRedirect() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("page") { _ in Response.html("<html><body><h1>A page</h1></body></html>") }
            // A page that sends the crawler elsewhere on the machine (another name for loopback).
            app.get("away") { request in request.redirect(to: "http://localhost:\(Self.port(request))/page") }
        }) { server in
            var configuration = HTTPFetcher.Configuration()
            let strict = HTTPFetcher(configuration: configuration)
            for url in [server.url("/page"), URL(string: "http://localhost:\(server.port)/page")!, URL(string: "http://[::1]:\(server.port)/page")!] {
                await #expect {
                    _ = try await strict.fetch(FetchRequest(url: url))
                } throws: { error in
                    guard case FetchError.forbiddenAddress = error else { return false }
                    return "\(error)".contains("ALLOW_PRIVATE_ADDRESSES")
                }
            }
            #expect(server.totalRequests == 0, "nothing was sent to a refused address")
            await strict.shutdown()

            // Allowing one host (as ALLOW_PRIVATE_ADDRESSES=127.0.0.1 does) lets its pages
            // through, but a redirect to another private name is refused.
            configuration.addresses = AddressPolicy(allowPrivate: false, allowedHosts: ["127.0.0.1"])
            let one = HTTPFetcher(configuration: configuration)
            let allowed = try await one.fetch(FetchRequest(url: server.url("/page")))
            #expect(allowed.text.contains("A page"))
            await #expect {
                _ = try await one.fetch(FetchRequest(url: server.url("/away")))
            } throws: { error in
                if case FetchError.forbiddenAddress(let host, _) = error { return host == "localhost" }
                return false
            }
            #expect(server.requests("/page") == 1, "the redirect target was not fetched")
            await one.shutdown()

            configuration.addresses = .any
            let open = HTTPFetcher(configuration: configuration)
            let followed = try await open.fetch(FetchRequest(url: server.url("/away")))
            #expect(followed.text.contains("A page"))
            await open.shutdown()
        }
    }

    @Test func settingsChooseThePolicy() throws {
        #expect(try Settings(environment: [:]).allowPrivateAddresses == false, "refused by default")
        #expect(try Settings(environment: ["ALLOW_PRIVATE_ADDRESSES": "true"]).allowPrivateAddresses)
        let some = try Settings(environment: ["ALLOW_PRIVATE_ADDRESSES": "intranet.example.local, 10.0.0.5"])
        #expect(!some.allowPrivateAddresses && some.privateHostsAllowed == ["intranet.example.local", "10.0.0.5"])
    }

    /// A page's script moves the browser to another private host: nothing of it is returned.
    @Test func browserNavigationToAPrivateHostIsRefused() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("jump") { request in
                Response.html("<html><body><p>Moving</p><script>location.href = 'http://localhost:\(Self.port(request))/secret';</script></body></html>")
            }
            app.get("secret") { _ in Response.html("<html><body><h1>Internal admin</h1></body></html>") }
        }) { server in
            var configuration = BrowserFetcher.Configuration(poolSize: 1)
            configuration.addresses = AddressPolicy(allowPrivate: false, allowedHosts: ["127.0.0.1"])
            let browser = BrowserFetcher(configuration: configuration)
            await #expect {
                _ = try await browser.fetch(FetchRequest(url: server.url("/jump")))
            } throws: { error in
                if case FetchError.forbiddenAddress(let host, _) = error { return host == "localhost" }
                return false
            }
            let strict = BrowserFetcher(configuration: .init(poolSize: 1))
            await #expect(throws: FetchError.self) { _ = try await strict.fetch(FetchRequest(url: server.url("/jump"))) }
            await browser.shutdown()
            await strict.shutdown()
        }
    }
}

/// Chromium's sandbox: as root (this test machine) `auto` renders without it and says so,
/// `on` refuses to render, `off` never uses it.
@Suite("Browser sandbox", .serialized)
struct BrowserSandboxTests {
    @Test func theSandboxSettingDecidesAndIsReported() async throws {
        try await FixtureServer.with(routes: { app in
            app.get("page") { _ in Response.html("<html><body><h1>Rendered</h1></body></html>") }
        }) { server in
            func browser(_ mode: BrowserFetcher.SandboxMode) -> BrowserFetcher {
                var configuration = BrowserFetcher.Configuration.loopback(poolSize: 1)
                configuration.sandbox = mode
                return BrowserFetcher(configuration: configuration)
            }
            let off = browser(.off)
            #expect(try await off.fetch(FetchRequest(url: server.url("/page"))).text.contains("Rendered"))
            #expect(await off.sandboxed == false)
            await off.shutdown()
            let auto = browser(.auto)
            let page = try await auto.fetch(FetchRequest(url: server.url("/page")))
            #expect(page.text.contains("Rendered"))
            #expect(await auto.sandboxed == (getuid() != 0), "as root auto renders without the sandbox")
            await auto.shutdown()
            if getuid() == 0 {
                let on = browser(.on)
                await #expect {
                    _ = try await on.fetch(FetchRequest(url: server.url("/page")))
                } throws: { error in
                    "\(error)".contains("BROWSER_SANDBOX=on")
                }
                await on.shutdown()
            }
        }
        #expect(throws: SettingsError.self) { try Settings(environment: ["BROWSER_SANDBOX": "maybe"]) }
    }
}
