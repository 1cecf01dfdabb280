#ifndef SPEAKERDB_CLIBXML2_SHIM_H
#define SPEAKERDB_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, whose headers clash with Foundation's bundled ICU
   module in Swift. Nothing here touches the ICU-dependent fields (only pointers to the
   encoding handler), so the ICU parts of the headers are left out. */
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer, which Swift cannot call directly.
static inline void speakerdb_xml_free(void *pointer) {
    xmlFree(pointer);
}

/// Silences libxml2's default error printer (parsing untrusted HTML is noisy).
static inline void speakerdb_xml_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, NULL);
    xmlSetStructuredErrorFunc(NULL, NULL);
}

#endif
