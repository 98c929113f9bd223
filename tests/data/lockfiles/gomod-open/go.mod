module a

require (
	github.com/a/b v1.0.0
