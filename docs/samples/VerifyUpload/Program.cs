using VerifyUpload;

await VerifyUploadApp.Build(args).RunAsync();
