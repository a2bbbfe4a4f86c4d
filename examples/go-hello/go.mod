module kinetic.dev/examples/go-hello

go 1.22
