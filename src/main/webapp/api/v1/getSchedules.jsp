<%@ page session="false" trimDirectiveWhitespaces="true" contentType="application/json;charset=UTF-8"
         import="org.openinfolink.api.JobApi" %><% JobApi.getSchedules(application, request, response); %>
