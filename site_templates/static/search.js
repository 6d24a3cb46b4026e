/* Tarikh's search page: Pagefind's default interface over the index of the page's language, with
   Arabic-script queries normalised as builder/arabic.py normalised the index (hamza and alef forms,
   taa marbuta, alef maqsura, Persian letters folded; diacritics, tatweel and direction controls
   dropped). Keep the rules of the two files in step: tests/test_i18n.py compares them. `?q=…`
   searches on load. */
(function () {
  "use strict";
  var REMOVE = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  var FOLD = {
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627", "\u0672": "\u0627",
    "\u0673": "\u0627", "\u0624": "\u0648", "\u0626": "\u064a", "\u0649": "\u064a", "\u06cc": "\u064a",
    "\u06d2": "\u064a", "\u0629": "\u0647", "\u06c0": "\u0647", "\u06d5": "\u0647", "\u06a9": "\u0643"
  };
  var FOLD_RE = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");

  function normalise(text) {
    return String(text).replace(REMOVE, "").replace(FOLD_RE, function (c) { return FOLD[c]; });
  }

  if (typeof module !== "undefined" && module.exports) {  // node, for the tests
    module.exports = { normalise: normalise };
    return;
  }
  window.tarikhSearch = { normalise: normalise };

  function start() {
    var box = document.getElementById("search");
    if (!box) return;
    if (typeof PagefindUI === "undefined") {
      var note = document.createElement("p");
      note.textContent = box.getAttribute("data-unavailable");
      box.appendChild(note);
      return;
    }
    // a large site's index is made in shards (builder/search.py): merge the others into the first
    // (the page links each shard's folder as it links folders, to its index.html)
    var shards = (box.getAttribute("data-shards") || "").split(" ").filter(Boolean).map(function (path) {
      return { bundlePath: new URL(path, document.baseURI).pathname.replace(/index\.html$/, "") };
    });
    var options = { element: "#search", showSubResults: true, showImages: false, processTerm: normalise };
    if (shards.length) options.mergeIndex = shards;
    var ui = new PagefindUI(options);
    window.tarikhSearch.ui = ui;
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
