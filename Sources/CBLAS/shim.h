// CBLAS interface of OpenBLAS (Debian: libopenblas-dev). On Debian and Ubuntu, cblas.h
// lives in the multiarch include folder (/usr/include/<triple>/cblas.h, an alternatives
// link to the OpenBLAS flavour in use), which is on the default search path; pkg-config
// `openblas` adds the flavour's own folder as well.
#ifndef SPEAKERDB_CBLAS_SHIM_H
#define SPEAKERDB_CBLAS_SHIM_H
#include <cblas.h>
#endif
