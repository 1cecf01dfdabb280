import Leaf
import Storage
import Vapor

/// Leaf tags for the page header: who is signed in, and the CSRF token of their forms.
/// Their values are usernames (letters, digits, `._-@`), role checks and base64url
/// tokens, so they need no escaping.
struct SignedInTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData { .bool(ctx.request?.session != nil) }
}

/// Editors see the admin link too: the review queue is theirs.
struct CanAdministerTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData { .bool((ctx.request?.session?.account.role ?? .viewer) >= .editor) }
}

struct AccountNameTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData { .string(ctx.request?.session?.account.username ?? "") }
}

struct CSRFTokenTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData { .string(ctx.request?.session?.csrfToken ?? "") }
}
