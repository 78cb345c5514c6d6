/**
 * A frontend's tour of the API, against a live server: list, page, filter, details, glossary,
 * search, sync and a problem. Usage: node dist/examples/tour.js http://127.0.0.1:8000
 */
import assert from "node:assert/strict";

import { createContentApi, ProblemError, syncChanges, unwrap, type SyncItem } from "../src/index.js";

const api = createContentApi(process.argv[2] ?? "http://127.0.0.1:8000");

// List and page.
const first = unwrap(await api.GET("/api/v1/articles/", { params: { query: { page_size: 2 } } }));
assert.ok(first.count > 2 && first.results.length === 2 && first.next);
const second = unwrap(
  await api.GET("/api/v1/articles/", { params: { query: { page_size: 2, page: 2 } } }),
);
assert.notEqual(second.results[0]?.slug, first.results[0]?.slug);
console.log(`articles: ${first.count}, page 2 starts with ${second.results[0]?.slug}`);

// Filter, and fetch a detail.
const conditions = unwrap(await api.GET("/api/v1/conditions/"));
const condition = conditions.results.find((tag) => (tag.content_counts?.faqs ?? 0) > 0);
assert.ok(condition?.slug);
const faqs = unwrap(
  await api.GET("/api/v1/faqs/", { params: { query: { condition: [condition.slug] } } }),
);
const slug = faqs.results[0]?.slug;
assert.ok(slug);
const faq = unwrap(await api.GET("/api/v1/faqs/{slug}/", { params: { path: { slug } } }));
assert.equal(faq.type, "faq");
console.log(`${condition.name}: ${faqs.count} FAQs; "${faq.question}" (${faq.related.length} related)`);

// The glossary: a detail lists the terms marked in its body; each leads to its definition.
const article = unwrap(
  await api.GET("/api/v1/articles/{slug}/", {
    params: { path: { slug: first.results[0]?.slug ?? "" } },
  }),
);
const term = article.glossary_terms[0];
assert.ok(term && article.body_html.includes(`data-glossary="${term.slug}"`));
const entry = unwrap(
  await api.GET("/api/v1/glossary/{slug}/", { params: { path: { slug: term.slug } } }),
);
assert.equal(entry.structured_data["@type"], "DefinedTerm");
console.log(
  `glossary: ${article.slug} marks ${article.glossary_terms.length} terms, e.g. ` +
    `"${entry.term}": ${entry.definition} (reading grade ${article.readability.grade})`,
);

// Search: one object with results, facets and the corrected query.
const found = unwrap(
  await api.GET("/api/v1/search/", { params: { query: { q: "ketamin nmda", page_size: 3 } } }),
);
const best = found.results[0];
assert.ok(best && best.score > 0 && best.snippet.length > 0);
const types = found.facets.type.map((facet) => `${facet.value} ${facet.count}`).join(", ");
console.log(
  `search "${found.query}" (suggestion: ${found.suggestion ?? "none"}): ${found.count} results, ` +
    `best ${best.type}/${best.slug} score ${best.score.toFixed(2)}; ${types}`,
);

// Sync: everything, then only what changed since the cursor.
const mirror = new Map<string, SyncItem>();
const cursor = await syncChanges(
  api,
  (change) => {
    const key = `${change.type}/${change.slug}`;
    if (change.action === "upsert" && change.item) {
      mirror.set(key, change.item);
    } else {
      mirror.delete(key);
    }
  },
  { limit: 10 },
);
const titles = [...mirror.values()].map((item) =>
  item.type === "faq" ? item.question : item.type === "glossary" ? item.term : item.title,
);
assert.ok(titles.length >= first.count);
let changed = 0;
await syncChanges(api, () => void changed++, { cursor });
assert.equal(changed, 0);
console.log(`sync: ${mirror.size} items mirrored, nothing changed since`);

// A problem: an unknown slug is a 404 problem details document.
try {
  unwrap(await api.GET("/api/v1/articles/{slug}/", { params: { path: { slug: "no-such" } } }));
  assert.fail("expected a 404");
} catch (error) {
  assert.ok(error instanceof ProblemError && error.status === 404);
  console.log(`problem: ${error.message}`);
}

// The contact form: fetch it, then send it back with no way to reach the person: a 400
// naming the fields.
const form = unwrap(await api.GET("/api/v1/enquiries/form/"));
assert.ok(form.form_token && form.fields.some((field) => field.name === "consent"));
const refused = await api.POST("/api/v1/enquiries/", {
  body: {
    name: "Tour",
    preferred_contact: "email",
    consent: true,
    privacy_notice_version: form.privacy_notice_version,
    form_token: form.form_token,
  },
});
assert.equal(refused.response.status, 400);
assert.ok(refused.error && JSON.stringify(refused.error).includes("/email"));
console.log(`enquiry form: ${form.fields.length} fields; no email or phone: ${refused.error?.detail}`);
