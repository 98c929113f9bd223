module example.com/app

go 1.21

toolchain go1.21.5

require (
	github.com/gin-gonic/gin v1.9.1
	golang.org/x/text v0.3.7 // indirect
	github.com/old/lib v1.0.0
	github.com/local/thing v0.0.0-00010101000000-000000000000
	"github.com/quoted/mod" v2.0.0+incompatible
)

require github.com/single/dep v0.1.0 // indirect

replace github.com/old/lib => github.com/fork/lib v1.0.1

replace (
	github.com/local/thing => ../thing
	golang.org/x/text v0.3.6 => golang.org/x/text v0.3.8
)

exclude golang.org/x/net v1.2.3

retract (
	v1.0.0 // published by mistake
)
